import { describe, expect, it } from 'vitest';
import { formatWait, parseRetryAfter, registryErrorFrom } from './response';

const subject = { what: 'manifest' as const, name: 'example.com/team/app:v1', registry: 'example.com' };
const now = Date.UTC(2026, 0, 1);

function response(status: number, body: string, headers: Record<string, string> = {}) {
  return new Response(body, { status, headers });
}
const registryBody = (code: string, message = 'msg') => JSON.stringify({ errors: [{ code, message }] });

describe('registryErrorFrom', () => {
  it.each([
    [404, registryBody('MANIFEST_UNKNOWN'), {}, 'manifest-unknown'],
    [404, registryBody('NAME_UNKNOWN'), {}, 'name-unknown'],
    [404, registryBody('BLOB_UNKNOWN'), {}, 'blob-unknown'],
    [401, registryBody('UNAUTHORIZED'), {}, 'unauthorized'],
    [401, 'nope', {}, 'unauthorized'],
    [403, registryBody('DENIED'), {}, 'denied'],
    [429, registryBody('TOOMANYREQUESTS'), {}, 'rate-limited'],
    [503, '<html>down</html>', {}, 'server-error'],
    [404, '<html>not here</html>', {}, 'not-registry'],
    [404, '', { 'docker-distribution-api-version': 'registry/2.0' }, 'manifest-unknown'],
    [403, registryBody('PROXY_BLOCKED_ADDRESS'), { 'x-ociscope-proxy': 'error' }, 'blocked'],
    [502, registryBody('PROXY_UNREACHABLE'), { 'x-ociscope-proxy': 'error' }, 'unreachable'],
    [502, registryBody('PROXY_AUTH_FAILED'), {}, 'auth-failed'],
    [502, JSON.stringify({ errors: [{ code: 'PROXY_AUTH_FAILED', detail: { status: 401 } }] }), {}, 'unauthorized'],
    [418, 'teapot', {}, 'unexpected-status'],
  ] as const)('%i %s → %s', async (status, body, headers, kind) => {
    const error = await registryErrorFrom(response(status, body, headers), subject, now);
    expect(error.kind).toBe(kind);
    expect(error.detail.status).toBe(status);
  });

  it('carries the registry code and message, and names the reference', async () => {
    const error = await registryErrorFrom(response(404, registryBody('MANIFEST_UNKNOWN', 'manifest unknown')), subject, now);
    expect(error.detail.code).toBe('MANIFEST_UNKNOWN');
    expect(error.detail.registryMessage).toBe('manifest unknown');
    expect(error.message).toContain('example.com/team/app:v1 does not exist');
  });

  it('keeps a plain-text body as the registry message, shortened', async () => {
    const error = await registryErrorFrom(response(500, 'x'.repeat(1000)), subject, now);
    expect(error.detail.registryMessage).toHaveLength(300);
  });

  it('says when a rate limit resets, from Retry-After', async () => {
    const error = await registryErrorFrom(
      response(429, registryBody('TOOMANYREQUESTS'), {
        'retry-after': '3600',
        'ratelimit-limit': '100;w=21600',
        'ratelimit-remaining': '0;w=21600',
      }),
      subject,
      now,
    );
    expect(error.detail.retryAt).toBe(now + 3_600_000);
    expect(error.detail.rateLimit).toEqual({ limit: '100;w=21600', remaining: '0;w=21600' });
    expect(error.message).toContain('resets in 60 min');
  });

  it('falls back to the Docker Hub rate-limit window when there is no Retry-After', async () => {
    const error = await registryErrorFrom(response(429, '', { 'ratelimit-remaining': '0;w=21600' }), subject, now);
    expect(error.detail.retryAt).toBe(now + 21_600_000);
    expect(error.message).toContain('resets in 6h 0min');
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(now + 120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 01:00:00 GMT', now)).toBe(now + 3_600_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
  it('formats waits for people', () => {
    expect(formatWait(30_000)).toBe('30s');
    expect(formatWait(45 * 60_000)).toBe('45 min');
    expect(formatWait(4 * 3_600_000)).toBe('4h 0min');
  });
});

describe('registryErrorFrom with non-registry bodies', () => {
  it('reads an HTML error page as its title and says it was not a registry error', async () => {
    const page = '<html><head><title>502 Bad Gateway</title><style>b{}</style></head><body><h1>502 Bad Gateway</h1></body></html>';
    const error = await registryErrorFrom(response(502, page, { 'content-type': 'text/html' }), subject, now);
    expect(error.kind).toBe('server-error');
    expect(error.detail.registryMessage).toBe('502 Bad Gateway');
    expect(error.message).toContain('HTML page instead of a registry error');
  });

  it('keeps plain text as it came', async () => {
    const error = await registryErrorFrom(response(503, 'maintenance'), subject, now);
    expect(error.detail.registryMessage).toBe('maintenance');
    expect(error.message).toBe('example.com failed with HTTP 503 while serving example.com/team/app:v1.');
  });
});
