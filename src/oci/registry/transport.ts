/**
 * How the client talks to the proxy: every request gets a deadline per attempt (timeout.ts), so
 * a stalled registry ends in a message, and retries with backoff (retry.ts) for answers that may
 * pass. This is the app's only retry mechanism, so the UI can say what it is waiting for. Failures
 * leave as RegistryErrors that name what was being fetched.
 */
import { RegistryError } from './errors';
import { type RequestSubject, registryErrorFrom } from './response';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, type RetryProgress, isRetryableStatus, withRetries } from './retry';
import { isTimeoutError, withTimeout } from './timeout';

/** Per call: cancellation, and who to tell that a retry is coming. */
export interface CallOptions {
  signal?: AbortSignal;
  onRetry?: (progress: RetryProgress) => void;
}

/** 4 MiB arrives in well under this on any connection the app is usable on. */
export const DEFAULT_DOCUMENT_TIMEOUT_MS = 30_000;

/** The header the proxy marks its own error answers with (proxy/errors.ts). */
const PROXY_ERROR_HEADER = 'x-ociscope-proxy';

/** How requests are made: where the proxy is, which fetch, and how long and how often to try. */
export interface TransportOptions {
  /** Where the proxy lives; '' means the same origin as the app. */
  proxyBase?: string;
  fetch?: typeof fetch;
  retry?: RetryPolicy;
  /** Deadline for one attempt at one document, headers and body together. */
  documentTimeoutMs?: number;
}

/** Requests to the proxy and the reading of their bodies, with the failures named. */
export interface Transport {
  /** A successful response, or a RegistryError (the registry's answer, or why there was none). */
  request(url: string, subject: RequestSubject, init: RequestInit, call: CallOptions): Promise<Response>;
  /** The whole body; a body that stalls or breaks off is a RegistryError, never a short document. */
  readBody(response: Response, subject: RequestSubject, call: CallOptions): Promise<Uint8Array>;
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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A transport over `options.fetch` (the global fetch by default). */
export function createTransport(options: TransportOptions = {}): Transport {
  const base = options.proxyBase ?? '';
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const retryPolicy = options.retry ?? DEFAULT_RETRY_POLICY;
  const timeoutMs = options.documentTimeoutMs ?? DEFAULT_DOCUMENT_TIMEOUT_MS;
  const timedFetch = withTimeout(doFetch, timeoutMs);

  function timedOut(subject: RequestSubject, url: string, stage: 'answer' | 'finish sending'): RegistryError {
    return new RegistryError(
      { kind: 'unreachable', url, cause: 'timeout' },
      `${subject.registry} did not ${stage} ${subject.name} within ${Math.round(timeoutMs / 1000)} s; ociscope stopped waiting. Nothing from it is shown as verified.`,
    );
  }

  return {
    async request(url, subject, init, call) {
      const retrying = withRetries(timedFetch, { policy: retryPolicy, onRetry: call.onRetry, isRetryable: isRetryableAnswer });
      let response: Response;
      try {
        response = await retrying(`${base}${url}`, { ...init, signal: call.signal });
      } catch (error) {
        if (call.signal?.aborted) throw error;
        if (isTimeoutError(error)) throw timedOut(subject, url, 'answer');
        throw new RegistryError(
          { kind: 'unreachable', url, cause: messageOf(error) },
          `Could not reach the ociscope proxy while fetching ${subject.name}.`,
        );
      }
      if (!response.ok) throw await registryErrorFrom(response, subject);
      return response;
    },

    async readBody(response, subject, call) {
      try {
        return new Uint8Array(await response.arrayBuffer());
      } catch (error) {
        if (call.signal?.aborted) throw error;
        if (isTimeoutError(error)) throw timedOut(subject, response.url, 'finish sending');
        throw new RegistryError(
          { kind: 'unreachable', status: response.status, url: response.url, cause: 'truncated' },
          `The download of ${subject.name} broke off before the end (${messageOf(error)}). Nothing from it is shown as verified.`,
        );
      }
    },
  };
}
