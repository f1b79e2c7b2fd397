/**
 * Turns a failed registry (or proxy) response into a RegistryError. Kept apart from the client
 * because the status/code/header rules are the part most worth testing on their own.
 */
import { RegistryError, type RegistryErrorKind } from './errors';
import { LAYOUT_NOT_LOADED_CODE, isLayoutHost, layoutNotLoadedSentence } from '../layout/layout-host';

interface ErrorBody {
  code?: string;
  message?: string;
  detail?: unknown;
}

/** What the request was for, so the message can name the missing thing. */
export interface RequestSubject {
  what: 'manifest' | 'blob' | 'tags' | 'referrers';
  /** e.g. "127.0.0.1:5000/ociscope/single:v1" */
  name: string;
  registry: string;
}

function firstError(text: string): ErrorBody | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && 'errors' in parsed && Array.isArray(parsed.errors)) {
      const first: unknown = parsed.errors[0];
      if (first && typeof first === 'object') {
        const e = first as Record<string, unknown>;
        return {
          code: typeof e.code === 'string' ? e.code : undefined,
          message: typeof e.message === 'string' ? e.message : undefined,
          detail: e.detail,
        };
      }
    }
  } catch {
    // Not JSON: registries and the things in front of them often answer errors with text or HTML.
  }
  return undefined;
}

/**
 * What a non-registry body says, readably. Load balancers and CDNs in front of registries answer
 * with HTML pages; their markup is noise (and never rendered), their text is the message.
 */
function plainText(text: string, contentType: string | null): { text: string; html: boolean } {
  const html = /^\s*(<!doctype html|<html)/i.test(text) || (contentType !== null && /^text\/html/i.test(contentType));
  if (!html) return { text: text.slice(0, 300), html };
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1];
  const body = text
    .replace(/<(script|style|head)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return { text: (title?.trim() || body).slice(0, 300), html };
}

/** Retry-After is either delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return now + Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : date;
}

/** Docker Hub sends `ratelimit-remaining: 0;w=21600`: the window length bounds the wait. */
function windowEnd(remaining: string | null, now: number): number | undefined {
  const match = remaining ? /;\s*w=(\d+)/.exec(remaining) : null;
  return match ? now + Number(match[1]) * 1000 : undefined;
}

const codeKinds: Record<string, RegistryErrorKind> = {
  MANIFEST_UNKNOWN: 'manifest-unknown',
  NAME_UNKNOWN: 'name-unknown',
  BLOB_UNKNOWN: 'blob-unknown',
  UNAUTHORIZED: 'unauthorized',
  DENIED: 'denied',
  TOOMANYREQUESTS: 'rate-limited',
  PROXY_BLOCKED_ADDRESS: 'blocked',
  PROXY_UNREACHABLE: 'unreachable',
  PROXY_BAD_REQUEST: 'bad-request',
  PROXY_METHOD_NOT_ALLOWED: 'bad-request',
  PROXY_AUTH_FAILED: 'auth-failed',
  PROXY_TOO_LARGE: 'too-large',
  PROXY_TOO_MANY_REDIRECTS: 'unreachable',
  [LAYOUT_NOT_LOADED_CODE]: 'unreachable',
};

/** The status the token endpoint answered, when the proxy's token fetch failed. */
function tokenStatus(detail: unknown): number | undefined {
  return detail && typeof detail === 'object' && 'status' in detail && typeof detail.status === 'number' ? detail.status : undefined;
}

function kindFor(status: number, body: ErrorBody | undefined, looksLikeRegistry: boolean): RegistryErrorKind {
  const code = body?.code;
  // A token service that answers 401/403 to an anonymous request means: credentials needed.
  if (code === 'PROXY_AUTH_FAILED' && [401, 403].includes(tokenStatus(body?.detail) ?? 0)) return 'unauthorized';
  if (code && codeKinds[code]) return codeKinds[code];
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'denied';
  if (status === 429) return 'rate-limited';
  if (status === 404) return looksLikeRegistry ? 'manifest-unknown' : 'not-registry';
  if (status >= 500) return 'server-error';
  return 'unexpected-status';
}

function sentence(
  kind: RegistryErrorKind,
  subject: RequestSubject,
  status: number,
  retryAt: number | undefined,
  now: number,
  htmlBody: boolean,
): string {
  const { name, registry } = subject;
  switch (kind) {
    case 'manifest-unknown':
      return subject.what === 'manifest'
        ? `${name} does not exist: the registry has no manifest for this tag or digest.`
        : `${name}: the registry has no ${subject.what} here.`;
    case 'name-unknown':
      return `The repository of ${name} does not exist on ${registry} (or it is private and hidden).`;
    case 'blob-unknown':
      return `The blob ${name} does not exist in this repository.`;
    case 'unauthorized':
      return `${registry} requires authentication to read ${name}. Anonymous access was refused.`;
    case 'denied':
      return `${registry} denied access to ${name}.`;
    case 'rate-limited':
      return retryAt
        ? `${registry} rate limit reached; it resets in ${formatWait(retryAt - now)} (at ${new Date(retryAt).toISOString()}).`
        : `${registry} rate limit reached; it did not say when it resets.`;
    case 'unreachable':
      return isLayoutHost(registry) ? layoutNotLoadedSentence(registry) : `Could not reach ${registry}.`;
    case 'not-registry':
      return `${registry} does not look like a container registry: /v2/ answered ${status} without a registry error.`;
    case 'blocked':
      return `The proxy refused to contact ${registry}: it is a loopback, private or metadata address. Self-hosted deployments can allow it with OCISCOPE_ALLOW_HOSTS.`;
    case 'bad-request':
      return `The proxy refused the request for ${name} as malformed.`;
    case 'auth-failed':
      return `${registry}’s token service failed, so no anonymous token could be had for ${name}.`;
    case 'too-large':
      return `The manifest of ${name} is larger than the 4 MiB limit manifests may have.`;
    case 'server-error':
      return htmlBody
        ? `${registry} failed with HTTP ${status} while serving ${name}, answering with an HTML page instead of a registry error (often a load balancer or proxy in front of the registry).`
        : `${registry} failed with HTTP ${status} while serving ${name}.`;
    case 'unexpected-status':
    case 'malformed-document':
      return `${registry} answered HTTP ${status} for ${name}.`;
  }
}

/** A wait in words ("4 h 10 min"), for rate limits. */
export function formatWait(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `${s}s`;
  const m = Math.round(s / 60);
  if (m < 90) return `${m} min`;
  const h = Math.floor(m / 60);
  return `${h}h ${m % 60}min`;
}

/** The RegistryError a failed response stands for, its body read for the registry's own code and message. */
export async function registryErrorFrom(response: Response, subject: RequestSubject, now = Date.now()): Promise<RegistryError> {
  const text = await response.text().catch(() => '');
  const body = firstError(text);
  const headers = response.headers;
  const raw = body ? undefined : plainText(text, headers.get('content-type'));
  const looksLikeRegistry = body !== undefined || headers.has('docker-distribution-api-version');
  const kind = kindFor(response.status, body, looksLikeRegistry);
  const retryAt =
    kind === 'rate-limited'
      ? (parseRetryAfter(headers.get('retry-after'), now) ?? windowEnd(headers.get('ratelimit-remaining'), now))
      : undefined;
  const limit = headers.get('ratelimit-limit') ?? undefined;
  const remaining = headers.get('ratelimit-remaining') ?? undefined;
  const cause =
    body?.detail && typeof body.detail === 'object' && 'cause' in body.detail
      ? String((body.detail as { cause: unknown }).cause)
      : undefined;
  return new RegistryError(
    {
      kind,
      status: response.status,
      code: body?.code,
      registryMessage: body?.message ?? (raw?.text || undefined),
      retryAt,
      rateLimit: limit || remaining ? { limit, remaining } : undefined,
      url: response.url,
      cause,
    },
    sentence(kind, subject, response.status, retryAt, now, raw?.html ?? false),
  );
}
