/**
 * Retries for idempotent document GETs, as a `(fetch) => fetch` wrapper in the style of
 * go-containerregistry's `transport/retry.go`: the client stacks it under its own request code
 * and never sees the failed attempts, only the last answer.
 *
 * What is worth another try: a 5xx or 429 (the registry or something in front of it is
 * overloaded or restarting) and a request that never got an answer (connection refused or
 * reset). A 4xx other than 429 says the same thing twice, and a digest mismatch is about the
 * bytes, not the transport, so neither is retried here (the client never asks). Waits grow
 * exponentially with full jitter (AWS architecture blog, "Exponential Backoff And Jitter") so
 * many tabs do not hammer a registry in step, and a `Retry-After` (RFC 9110 §10.2.3, seconds or
 * HTTP-date) replaces the computed wait. A wait longer than `maxWaitMs` is not worth making a
 * person watch a spinner for: the answer is handed back and shown (e.g. "rate limit reached,
 * resets in 4h").
 */
import { parseRetryAfter } from './response';
import { isTimeoutError } from './timeout';

/** How often and how patiently to try again. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Wait before the second attempt; doubles each time, before jitter. */
  baseDelayMs: number;
  /** Longest wait between attempts, whether computed or asked for by Retry-After. */
  maxWaitMs: number;
}

/** Three attempts, backing off from a second; never waiting longer than a person would. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1000, maxWaitMs: 30_000 };

/** Why an attempt failed and when the next one starts, for "retrying in 2 s (attempt 2 of 3)". */
export interface RetryProgress {
  /** The attempt about to be made, counting from 1. */
  nextAttempt: number;
  maxAttempts: number;
  delayMs: number;
  /** The HTTP status that failed, or undefined when no answer came at all. */
  status?: number;
  /** Present when no answer came: what the network layer said. */
  networkError?: string;
}

/** A retrying fetch's policy, who to tell, and which answers may pass next time. */
export interface RetryOptions {
  policy?: RetryPolicy;
  /** Called before each wait; the UI says that it is retrying. */
  onRetry?: (progress: RetryProgress) => void;
  /**
   * Whether a failed answer may pass on a second try. The default retries 5xx and 429; the
   * client narrows it (a proxy refusing a too-large manifest answers 502 and will again).
   */
  isRetryable?: (response: Response) => Promise<boolean> | boolean;
  /** Jitter source in [0, 1); injected by tests. */
  random?: () => number;
}

/** Statuses that may pass on another try: 429 and the 5xx that mean "not now". */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * The wait before attempt `nextAttempt` (2, 3, …): full jitter over the doubled base, but
 * never less than half of it, so a retry is never an immediate re-hit.
 */
export function backoffDelay(policy: RetryPolicy, nextAttempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxWaitMs, policy.baseDelayMs * 2 ** (nextAttempt - 2));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
function sleep(ms: number, signal: AbortSignal | null | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A fetch that retries GETs by `policy`; anything else passes straight through. */
export function withRetries(inner: typeof fetch, options: RetryOptions = {}): typeof fetch {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const random = options.random ?? Math.random;
  const isRetryable = options.isRetryable ?? ((response: Response) => isRetryableStatus(response.status));

  return async (input, init) => {
    const method = (init?.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'HEAD') return inner(input, init);
    const signal = init?.signal;
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await inner(input, init);
      } catch (error) {
        // A caller's abort is a decision, and a deadline passed means the registry stalls:
        // neither is a failure another attempt could fix quickly.
        if (signal?.aborted || isTimeoutError(error) || attempt >= policy.maxAttempts) throw error;
        const delayMs = backoffDelay(policy, attempt + 1, random);
        options.onRetry?.({
          nextAttempt: attempt + 1,
          maxAttempts: policy.maxAttempts,
          delayMs,
          networkError: error instanceof Error ? error.message : String(error),
        });
        await sleep(delayMs, signal);
        continue;
      }
      if (response.ok || attempt >= policy.maxAttempts || !(await isRetryable(response))) return response;
      const now = Date.now();
      const retryAt = parseRetryAfter(response.headers.get('retry-after'), now);
      const delayMs = retryAt === undefined ? backoffDelay(policy, attempt + 1, random) : Math.max(0, retryAt - now);
      if (delayMs > policy.maxWaitMs) return response;
      await response.body?.cancel();
      options.onRetry?.({ nextAttempt: attempt + 1, maxAttempts: policy.maxAttempts, delayMs, status: response.status });
      await sleep(delayMs, signal);
    }
  };
}
