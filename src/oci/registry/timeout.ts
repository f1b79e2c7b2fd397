/**
 * A deadline per request, as a `(fetch) => fetch` wrapper: the signal it adds covers the
 * headers *and* the body, because a registry (or anything in front of it) can stall after
 * sending headers just as well as before. Documents are at most 4 MiB, so a deadline of tens of
 * seconds is generous on any link that can use the app at all; without one a stalled registry
 * leaves "Fetching and verifying…" on screen for as long as the proxy's own timeouts allow.
 *
 * It sits under the retry wrapper, so each attempt has its own deadline; the retry wrapper
 * does not retry a `TimeoutError` (a stalling registry would only multiply the wait).
 */

/** A fetch whose every call aborts with a `TimeoutError` DOMException after `ms`. */
export function withTimeout(inner: typeof fetch, ms: number): typeof fetch {
  return (input, init) => {
    const deadline = AbortSignal.timeout(ms);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    return inner(input, { ...init, signal });
  };
}

/** Whether a failure was our own deadline running out. */
export function isTimeoutError(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError';
}
