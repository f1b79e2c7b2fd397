/**
 * The registry client: fetches manifests, small blobs and tag lists through the ociscope proxy
 * and verifies every document before handing it out. Callers never see unverified bytes: the
 * Verification travels with the data (distribution-spec "Pulling manifests", "Pulling blobs",
 * "Listing tags").
 *
 * Every request goes through two transport wrappers: a deadline per attempt (timeout.ts) so a
 * stalled registry ends in a message, and retries with backoff (retry.ts) for answers that may
 * pass. This is the app's only retry mechanism, so the UI can say what it is waiting for.
 */
import { registryHostOfProxyUrl, storedAuthorization, USER_CREDENTIALS_HEADER } from '../lib/registry-credentials';
import { RegistryError } from './errors';
import { DOCKER_SCHEMA1_SIGNED, MANIFEST_ACCEPT, essence } from './media-types';
import { schema1SignedPayload } from './schema1';
import { type ImageReference, formatReference, formatRepository } from './reference';
import { type RequestSubject, registryErrorFrom } from './registry-response';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, type RetryProgress, isRetryableStatus, withRetries } from './retry';
import { isTimeoutError, withTimeout } from './timeout';
import { type Expectations, type Verification, verifyBytes } from './verify';

export interface Repository {
  registry: string;
  repository: string;
}

export interface FetchedDocument {
  bytes: Uint8Array;
  /** The bytes decoded as UTF-8 (invalid sequences replaced, so the raw view never breaks). */
  text: string;
  json?: unknown;
  /** Why the bytes are not JSON, when they are not. */
  parseError?: string;
  contentType?: string;
  headerDigest?: string;
  verification: Verification;
  /** The digest that addresses this document from now on. */
  digest: string;
  fetchedBy: 'tag' | 'digest';
}

export interface TagList {
  tags: string[];
  pages: number;
  /** Set when pagination stopped early, with the reason (e.g. a Link to another host). */
  stoppedEarly?: string;
}

export interface ClientOptions {
  /** Where the proxy lives; '' means the same origin as the app. */
  proxyBase?: string;
  fetch?: typeof fetch;
  /** Tags asked for per page; the registry may ignore it. */
  tagPageSize?: number;
  retry?: RetryPolicy;
  /** Deadline for one attempt at one document, headers and body together. */
  documentTimeoutMs?: number;
}

/** Per call: cancellation, and who to tell that a retry is coming. */
export interface CallOptions {
  signal?: AbortSignal;
  onRetry?: (progress: RetryProgress) => void;
}

/** 4 MiB arrives in well under this on any connection the app is usable on. */
export const DEFAULT_DOCUMENT_TIMEOUT_MS = 30_000;

/** The header the proxy marks its own error answers with (proxy/errors.ts). */
const PROXY_ERROR_HEADER = 'x-ociscope-proxy';

/** Documents we render as JSON are capped like manifests (distribution-spec allows 4 MiB). */
export const MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;
const MAX_TAG_PAGES = 2000;

function apiPath(registry: string, path: string): string {
  return `/registry/${registry}/v2/${path}`;
}

function decode(bytes: Uint8Array): { text: string; json?: unknown; parseError?: string } {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  try {
    return { text, json: JSON.parse(text) };
  } catch (error) {
    return { text, parseError: error instanceof Error ? error.message : String(error) };
  }
}

function declaredMediaType(json: unknown): string | undefined {
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    const mt = (json as Record<string, unknown>).mediaType;
    return typeof mt === 'string' ? mt : undefined;
  }
  return undefined;
}

/**
 * Whether a failed answer may pass on another try. The proxy's own refusals (too large, blocked,
 * malformed, a token service that said no) answer the same every time; only "could not reach
 * the registry" is transient, and not when it was a timeout (that would multiply the wait).
 */
async function isRetryableAnswer(response: Response): Promise<boolean> {
  if (!isRetryableStatus(response.status)) return false;
  if (response.headers.get(PROXY_ERROR_HEADER) !== 'error') return true;
  const body: unknown = await response
    .clone()
    .json()
    .catch(() => undefined);
  const first = (body as { errors?: { code?: unknown; detail?: { cause?: unknown } }[] } | undefined)?.errors?.[0];
  return first?.code === 'PROXY_UNREACHABLE' && first.detail?.cause !== 'timeout';
}

/** Parses `<url>; rel="next"` out of a Link header (RFC 8288), ignoring other relations. */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>\s*(.*)$/.exec(part);
    if (match && /(^|;)\s*rel="?next"?\s*(;|$)/i.test(match[2]!)) return match[1];
  }
  return undefined;
}

/** Adds the credentials the user entered for this request's registry (this tab only), if any. */
function withUserCredentials(path: string, init: RequestInit): RequestInit {
  const host = registryHostOfProxyUrl(path);
  const authorization = host === undefined ? undefined : storedAuthorization(host);
  if (authorization === undefined) return init;
  const headers = new Headers(init.headers);
  headers.set(USER_CREDENTIALS_HEADER, authorization);
  return { ...init, headers };
}

export function createRegistryClient(options: ClientOptions = {}) {
  const base = options.proxyBase ?? '';
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const tagPageSize = options.tagPageSize ?? 100;
  const retryPolicy = options.retry ?? DEFAULT_RETRY_POLICY;
  const timeoutMs = options.documentTimeoutMs ?? DEFAULT_DOCUMENT_TIMEOUT_MS;
  const timedFetch = withTimeout(doFetch, timeoutMs);

  function timedOut(subject: RequestSubject, url: string, stage: 'answer' | 'finish sending'): RegistryError {
    return new RegistryError(
      { kind: 'unreachable', url, cause: 'timeout' },
      `${subject.registry} did not ${stage} ${subject.name} within ${Math.round(timeoutMs / 1000)} s; ociscope stopped waiting. Nothing from it is shown as verified.`,
    );
  }

  async function request(path: string, subject: RequestSubject, init: RequestInit, call: CallOptions): Promise<Response> {
    const retrying = withRetries(timedFetch, { policy: retryPolicy, onRetry: call.onRetry, isRetryable: isRetryableAnswer });
    let response: Response;
    try {
      response = await retrying(`${base}${path}`, { ...withUserCredentials(path, init), signal: call.signal });
    } catch (error) {
      if (call.signal?.aborted) throw error;
      if (isTimeoutError(error)) throw timedOut(subject, path, 'answer');
      throw new RegistryError(
        { kind: 'unreachable', url: path, cause: error instanceof Error ? error.message : String(error) },
        `Could not reach the ociscope proxy while fetching ${subject.name}.`,
      );
    }
    if (!response.ok) throw await registryErrorFrom(response, subject);
    return response;
  }

  async function readBody(response: Response, subject: RequestSubject, call: CallOptions): Promise<Uint8Array> {
    try {
      return new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      if (call.signal?.aborted) throw error;
      if (isTimeoutError(error)) throw timedOut(subject, response.url, 'finish sending');
      throw new RegistryError(
        { kind: 'unreachable', status: response.status, url: response.url, cause: 'truncated' },
        `The download of ${subject.name} broke off before the end (${error instanceof Error ? error.message : String(error)}). Nothing from it is shown as verified.`,
      );
    }
  }

  async function fetchDocument(
    path: string,
    subject: RequestSubject,
    accept: string,
    expect: Expectations,
    isManifest: boolean,
    fetchedBy: 'tag' | 'digest',
    call: CallOptions,
  ): Promise<FetchedDocument> {
    const response = await request(path, subject, { headers: { Accept: accept } }, call);
    const length = Number(response.headers.get('content-length') ?? NaN);
    if (length > MAX_DOCUMENT_BYTES) {
      await response.body?.cancel();
      throw new RegistryError(
        { kind: 'too-large', status: response.status, url: response.url },
        `${subject.name} is ${length} bytes, over the ${MAX_DOCUMENT_BYTES} byte limit for documents shown as JSON.`,
      );
    }
    const bytes = await readBody(response, subject, call);
    const contentType = response.headers.get('content-type') ?? undefined;
    const headerDigest = response.headers.get('docker-content-digest') ?? undefined;
    const decoded = decode(bytes);
    const declared = declaredMediaType(decoded.json);
    const expectations: Expectations =
      fetchedBy === 'tag' && headerDigest ? { ...expect, digest: headerDigest, digestSource: 'header' } : expect;
    const signedSchema1 = isManifest && contentType !== undefined && essence(contentType) === DOCKER_SCHEMA1_SIGNED;
    const digestedBytes = signedSchema1 ? schema1SignedPayload(bytes, decoded.json) : undefined;
    const verification = await verifyBytes({
      bytes,
      digestedBytes,
      expect: expectations,
      headerDigest,
      contentType,
      declaredMediaType: isManifest ? declared : undefined,
      compareContentType: isManifest,
    });
    if (digestedBytes) verification.notes.push('Signed schema 1: the digest covers the JSON payload without its signatures, rebuilt from the JWS protected header.');
    return {
      bytes,
      ...decoded,
      contentType,
      headerDigest,
      verification,
      digest: fetchedBy === 'digest' && expect.digest ? expect.digest : verification.computed,
      fetchedBy,
    };
  }

  return {
    /** GET a manifest by tag or digest; with both, the digest wins (it pins the content). */
    fetchManifest(
      ref: ImageReference,
      expect: Omit<Expectations, 'digest' | 'digestSource'> = {},
      call: CallOptions = {},
    ): Promise<FetchedDocument> {
      const reference = ref.digest ?? ref.tag ?? 'latest';
      const subject: RequestSubject = { what: 'manifest', name: formatReference(ref), registry: ref.registry };
      const fetchedBy = ref.digest ? 'digest' : 'tag';
      const expectations: Expectations = ref.digest ? { ...expect, digest: ref.digest, digestSource: 'url' } : expect;
      return fetchDocument(
        apiPath(ref.registry, `${ref.repository}/manifests/${reference}`),
        subject,
        MANIFEST_ACCEPT,
        expectations,
        true,
        fetchedBy,
        call,
      );
    },

    /** GET a JSON blob (config, attestation, …) by digest. Larger blobs go through layer streams. */
    fetchJsonBlob(
      repo: Repository,
      digest: string,
      expect: Omit<Expectations, 'digest' | 'digestSource'> = {},
      call: CallOptions = {},
    ): Promise<FetchedDocument> {
      const subject: RequestSubject = { what: 'blob', name: `${formatRepository(repo)}@${digest}`, registry: repo.registry };
      if (expect.size !== undefined && expect.size > MAX_DOCUMENT_BYTES) {
        return Promise.reject(
          new RegistryError(
            { kind: 'too-large', url: '' },
            `${subject.name} is ${expect.size} bytes, over the ${MAX_DOCUMENT_BYTES} byte limit for documents shown as JSON.`,
          ),
        );
      }
      return fetchDocument(
        apiPath(repo.registry, `${repo.repository}/blobs/${digest}`),
        subject,
        '*/*',
        { ...expect, digest, digestSource: 'url' },
        false,
        'digest',
        call,
      );
    },

    /** All tags, following `Link: <…>; rel="next"` on the same host only. */
    async listTags(repo: Repository, call: CallOptions = {}): Promise<TagList> {
      const subject: RequestSubject = { what: 'tags', name: formatRepository(repo), registry: repo.registry };
      const upstreamOrigin = `https://${repo.registry}`;
      const listPath = `/v2/${repo.repository}/tags/list`;
      let path = `${listPath}?n=${tagPageSize}`;
      const tags: string[] = [];
      const seen = new Set<string>();
      for (let pages = 1; ; pages++) {
        const response = await request(`/registry/${repo.registry}${path}`, subject, { headers: { Accept: 'application/json' } }, call);
        const bytes = await readBody(response, subject, call);
        const { json, parseError } = decode(bytes);
        const pageTags = json && typeof json === 'object' ? (json as { tags?: unknown }).tags : undefined;
        if (parseError || (pageTags !== null && pageTags !== undefined && !Array.isArray(pageTags))) {
          throw new RegistryError(
            { kind: 'malformed-document', status: response.status, url: response.url, cause: parseError },
            `${repo.registry} answered the tag list of ${subject.name} with something that is not a tag list.`,
          );
        }
        for (const tag of (pageTags ?? []) as unknown[]) if (typeof tag === 'string') tags.push(tag);
        const next = nextLink(response.headers.get('link'));
        if (!next) return { tags, pages };
        // Links may be relative or absolute; either way they must stay on this registry and this list.
        const url = new URL(next, `${upstreamOrigin}${path}`);
        // Docker Hub's API lives on registry-1.docker.io, so its absolute Links name that host.
        const sameHost = url.host === new URL(upstreamOrigin).host || (repo.registry === 'docker.io' && url.host === 'registry-1.docker.io');
        if (!sameHost || url.pathname !== listPath) {
          return { tags, pages, stoppedEarly: `The registry pointed the next page to ${url.host}${url.pathname}; ociscope only follows pagination on the same registry and list.` };
        }
        const nextPath = `${url.pathname}${url.search}`;
        if (seen.has(nextPath) || pages >= MAX_TAG_PAGES) {
          return { tags, pages, stoppedEarly: 'The registry’s pagination repeated itself; stopped to avoid a loop.' };
        }
        seen.add(nextPath);
        path = nextPath;
      }
    },
  };
}

export type RegistryClient = ReturnType<typeof createRegistryClient>;
