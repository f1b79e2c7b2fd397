import { describe, expect, it } from 'vitest';
import type { RetryProgress } from './retry';
import { createRegistryClient } from './client';
import { RegistryError } from './errors';
import { OCI_MANIFEST } from '../spec/media-types';
import { nextLink } from './tag-list';
import { sha256Digest } from '../../test-support/digest';

const manifest = new TextEncoder().encode(`{"schemaVersion":2,"mediaType":"${OCI_MANIFEST}","config":{},"layers":[]}`);
const digest = sha256Digest(manifest);

/** Retries without waiting: these tests are about what is retried, retry.test.ts about when. */
const instantRetries = { maxAttempts: 3, baseDelayMs: 0, maxWaitMs: 30_000 };

type Handler = (url: string, init?: RequestInit) => Response;

function clientWith(handler: Handler, calls: string[] = []) {
  return createRegistryClient({
    retry: instantRetries,
    fetch: async (input, init) => {
      calls.push(String(input));
      return handler(String(input), init);
    },
  });
}

const ref = { registry: 'r.example', repository: 'team/app' };

describe('fetchManifest', () => {
  it('by tag: compares with Docker-Content-Digest and sends the manifest Accept list', async () => {
    let accept = '';
    const client = clientWith((_url, init) => {
      accept = new Headers(init?.headers).get('accept') ?? '';
      return new Response(manifest, { headers: { 'content-type': OCI_MANIFEST, 'docker-content-digest': digest } });
    });
    const doc = await client.fetchManifest({ ...ref, tag: 'v1' });
    expect(accept).toContain(OCI_MANIFEST);
    expect(doc.fetchedBy).toBe('tag');
    expect(doc.verification).toMatchObject({ digest: 'match', expectedSource: 'header', mediaType: 'match', trusted: true });
    expect(doc.digest).toBe(digest);
  });

  it('by digest: requests the digest path and verifies against the link, not the header', async () => {
    const calls: string[] = [];
    const other = `sha256:${'1'.repeat(64)}`;
    const client = clientWith(
      () => new Response(manifest, { headers: { 'content-type': OCI_MANIFEST, 'docker-content-digest': other } }),
      calls,
    );
    const doc = await client.fetchManifest({ ...ref, digest });
    expect(calls[0]).toBe(`/registry/r.example/v2/team/app/manifests/${digest}`);
    expect(doc.verification.digest).toBe('match');
    expect(doc.verification.header).toBe('mismatch');
    expect(doc.verification.trusted).toBe(false);
  });

  it('shows a mismatch when the registry sends other bytes', async () => {
    const wanted = `sha256:${'2'.repeat(64)}`;
    const client = clientWith(() => new Response(manifest, { headers: { 'content-type': OCI_MANIFEST } }));
    const doc = await client.fetchManifest({ ...ref, digest: wanted });
    expect(doc.verification.digest).toBe('mismatch');
    expect(doc.digest).toBe(wanted);
    expect(doc.verification.computed).toBe(digest);
  });

  it('keeps bytes that are not JSON, with the reason', async () => {
    const client = clientWith(() => new Response('<html>', { headers: { 'content-type': 'text/html' } }));
    const doc = await client.fetchManifest({ ...ref, tag: 'v1' });
    expect(doc.json).toBeUndefined();
    expect(doc.text).toBe('<html>');
    expect(doc.parseError).toBeTruthy();
  });

  it('turns registry errors into typed errors', async () => {
    const client = clientWith(
      () => new Response(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }), { status: 404 }),
    );
    await expect(client.fetchManifest({ ...ref, tag: 'nope' })).rejects.toMatchObject({ kind: 'manifest-unknown' });
  });

  it('reports an unreachable proxy', async () => {
    const client = createRegistryClient({ retry: instantRetries, fetch: () => Promise.reject(new TypeError('Failed to fetch')) });
    const error = await client.fetchManifest({ ...ref, tag: 'v1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).kind).toBe('unreachable');
  });

  it('refuses documents larger than 4 MiB before reading them', async () => {
    const client = clientWith(() => new Response('{}', { headers: { 'content-length': String(5 * 1024 * 1024) } }));
    await expect(client.fetchManifest({ ...ref, tag: 'v1' })).rejects.toMatchObject({ kind: 'too-large' });
  });
});

describe('retries and deadlines', () => {
  const ok = () => new Response(manifest, { headers: { 'content-type': OCI_MANIFEST, 'docker-content-digest': digest } });
  const proxyError = (code: string, detail: object = {}) =>
    new Response(JSON.stringify({ errors: [{ code, message: code, detail }] }), { status: 502, headers: { 'x-ociscope-proxy': 'error' } });

  it('retries a 503 twice, reports each retry, then verifies what finally came', async () => {
    const answers = [new Response('down', { status: 503 }), new Response('down', { status: 503 }), ok()];
    const calls: string[] = [];
    const progress: RetryProgress[] = [];
    const client = clientWith(() => answers.shift()!, calls);
    const doc = await client.fetchManifest({ ...ref, tag: 'v1' }, {}, { onRetry: (p) => progress.push(p) });
    expect(calls).toHaveLength(3);
    expect(progress.map((p) => [p.status, p.nextAttempt])).toEqual([
      [503, 2],
      [503, 3],
    ]);
    expect(doc.verification.trusted).toBe(true);
  });

  it.each([
    ['a manifest over the proxy’s limit', () => proxyError('PROXY_TOO_LARGE'), 'too-large'],
    ['a proxy timeout', () => proxyError('PROXY_UNREACHABLE', { cause: 'timeout' }), 'unreachable'],
    [
      'MANIFEST_UNKNOWN',
      () => new Response(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN' }] }), { status: 404 }),
      'manifest-unknown',
    ],
    [
      'a rate limit resetting in an hour',
      () => new Response('slow down', { status: 429, headers: { 'retry-after': '3600' } }),
      'rate-limited',
    ],
  ])('does not retry %s', async (_name, answer, kind) => {
    const calls: string[] = [];
    const client = clientWith(answer, calls);
    await expect(client.fetchManifest({ ...ref, tag: 'v1' })).rejects.toMatchObject({ kind });
    expect(calls).toHaveLength(1);
  });

  it('retries when the proxy could not reach the registry', async () => {
    const answers = [proxyError('PROXY_UNREACHABLE', { cause: 'ECONNRESET' }), ok()];
    const client = clientWith(() => answers.shift()!);
    expect((await client.fetchManifest({ ...ref, tag: 'v1' })).verification.trusted).toBe(true);
  });

  it('never retries a digest mismatch: the bytes, not the transport, are wrong', async () => {
    const calls: string[] = [];
    const client = clientWith(() => new Response(manifest, { headers: { 'content-type': OCI_MANIFEST } }), calls);
    const doc = await client.fetchManifest({ ...ref, digest: `sha256:${'3'.repeat(64)}` });
    expect(doc.verification.digest).toBe('mismatch');
    expect(calls).toHaveLength(1);
  });

  /** A fetch that honours its signal and otherwise never answers: a stalled registry. */
  const stalled: typeof fetch = (_input, init) =>
    new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));

  it('ends a registry that never answers with a timeout, once, without retrying', async () => {
    let calls = 0;
    const client = createRegistryClient({
      retry: instantRetries,
      documentTimeoutMs: 20,
      fetch: (input, init) => (calls++, stalled(input, init)),
    });
    const error = await client.fetchManifest({ ...ref, tag: 'v1' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'unreachable', detail: { cause: 'timeout' } });
    expect((error as Error).message).toMatch(/did not answer .* within 0 s; ociscope stopped waiting/);
    expect(calls).toBe(1);
  });

  it('ends a body that stalls after the headers with a timeout', async () => {
    const client = createRegistryClient({
      documentTimeoutMs: 20,
      fetch: async (_input, init) => {
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(manifest.subarray(0, 10));
            init?.signal?.addEventListener('abort', () => controller.error(init.signal!.reason));
          },
        });
        return new Response(body, { headers: { 'content-type': OCI_MANIFEST } });
      },
    });
    const error = await client.fetchManifest({ ...ref, tag: 'v1' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'unreachable', detail: { cause: 'timeout' } });
    expect((error as Error).message).toContain('did not finish sending');
  });

  it('passes a caller’s abort through as it is', async () => {
    const controller = new AbortController();
    const client = createRegistryClient({ fetch: stalled });
    const pending = client.fetchManifest({ ...ref, tag: 'v1' }, {}, { signal: controller.signal });
    controller.abort(new DOMException('left the page', 'AbortError'));
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('listTags', () => {
  const page = (tags: string[], link?: string) =>
    new Response(JSON.stringify({ name: 'team/app', tags }), { headers: link ? { link } : {} });

  it('follows relative and absolute same-host Link headers', async () => {
    const calls: string[] = [];
    const client = clientWith((url) => {
      if (url.includes('last=b')) return page(['c'], '<https://r.example/v2/team/app/tags/list?last=c&n=100>; rel="next"');
      if (url.includes('last=c')) return page(['d']);
      return page(['a', 'b'], '</v2/team/app/tags/list?last=b&n=100>; rel="next"');
    }, calls);
    const list = await client.listTags(ref);
    expect(list).toEqual({ tags: ['a', 'b', 'c', 'd'], pages: 3 });
    expect(calls[1]).toBe('/registry/r.example/v2/team/app/tags/list?last=b&n=100');
  });

  it('does not follow pagination to another host', async () => {
    const calls: string[] = [];
    const client = clientWith(() => page(['a'], '<https://evil.example/v2/team/app/tags/list?last=a>; rel="next"'), calls);
    const list = await client.listTags(ref);
    expect(list.tags).toEqual(['a']);
    expect(list.stoppedEarly).toContain('evil.example');
    expect(calls).toHaveLength(1);
  });

  it('stops when pagination repeats itself', async () => {
    const client = clientWith(() => page(['a'], '</v2/team/app/tags/list?last=a>; rel="next"'));
    const list = await client.listTags(ref);
    expect(list.stoppedEarly).toMatch(/repeated/);
    expect(list.pages).toBe(2);
  });

  it('rejects an answer that is not a tag list', async () => {
    const client = clientWith(() => new Response('{"tags": "nope"}'));
    await expect(client.listTags(ref)).rejects.toMatchObject({ kind: 'malformed-document' });
  });
});

describe('nextLink', () => {
  it.each([
    ['</v2/a/tags/list?last=x>; rel="next"', '/v2/a/tags/list?last=x'],
    ['<https://h/v2/a/tags/list?n=1&last=x>; rel=next', 'https://h/v2/a/tags/list?n=1&last=x'],
    ['</prev>; rel="prev", </next>; rel="next"', '/next'],
    ['</only>; rel="prev"', undefined],
    [null, undefined],
  ])('%s', (header, expected) => {
    expect(nextLink(header)).toBe(expected);
  });
});
