import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type RetryProgress, backoffDelay, withRetries } from './retry';

const policy = { maxAttempts: 3, baseDelayMs: 1000, maxWaitMs: 30_000 };
const now = Date.UTC(2026, 0, 1);

/** A fetch that answers from a script, one entry per call, recording each call. */
function scripted(...answers: (Response | Error)[]) {
  const calls: RequestInit[] = [];
  const fetch = vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
    calls.push(init ?? {});
    const next = answers.shift();
    if (next === undefined) throw new Error('script ran out');
    if (next instanceof Error) throw next;
    return next;
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}

const status = (code: number, headers: Record<string, string> = {}) => new Response(`status ${code}`, { status: code, headers });

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(now);
});
afterEach(() => vi.useRealTimers());

function retrying(fetch: typeof globalThis.fetch, progress: RetryProgress[] = []) {
  return withRetries(fetch, { policy, random: () => 0.5, onRetry: (p) => progress.push(p) });
}

describe('withRetries', () => {
  it('retries 5xx with growing waits and hands back the success', async () => {
    const { fetch, calls } = scripted(status(503), status(502), status(200));
    const progress: RetryProgress[] = [];
    const pending = retrying(fetch, progress)('/m');
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    expect(progress).toEqual([{ nextAttempt: 2, maxAttempts: 3, delayMs: 750, status: 503 }]);
    await vi.advanceTimersByTimeAsync(749);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    expect(progress[1]).toEqual({ nextAttempt: 3, maxAttempts: 3, delayMs: 1500, status: 502 });
    await vi.advanceTimersByTimeAsync(1500);
    expect((await pending).status).toBe(200);
  });

  it('gives up after maxAttempts and returns the last answer', async () => {
    const { fetch, calls } = scripted(status(500), status(500), status(500));
    const pending = retrying(fetch)('/m');
    await vi.runAllTimersAsync();
    expect((await pending).status).toBe(500);
    expect(calls).toHaveLength(3);
  });

  it.each([400, 401, 403, 404, 416])('never retries %i', async (code) => {
    const { fetch, calls } = scripted(status(code));
    const response = await retrying(fetch)('/m');
    expect(response.status).toBe(code);
    expect(calls).toHaveLength(1);
  });

  it('waits as long as Retry-After says, in seconds', async () => {
    const { fetch, calls } = scripted(status(429, { 'retry-after': '5' }), status(200));
    const progress: RetryProgress[] = [];
    const pending = retrying(fetch, progress)('/m');
    await vi.advanceTimersByTimeAsync(4999);
    expect(calls).toHaveLength(1);
    expect(progress[0]).toMatchObject({ delayMs: 5000, status: 429 });
    await vi.advanceTimersByTimeAsync(1);
    expect((await pending).status).toBe(200);
  });

  it('waits until a Retry-After HTTP-date', async () => {
    const at = new Date(now + 8000).toUTCString();
    const { fetch } = scripted(status(503, { 'retry-after': at }), status(200));
    const progress: RetryProgress[] = [];
    const pending = retrying(fetch, progress)('/m');
    await vi.advanceTimersByTimeAsync(8000);
    expect(progress[0]!.delayMs).toBe(8000);
    expect((await pending).status).toBe(200);
  });

  it('hands back a rate limit at once when Retry-After is beyond the longest wait', async () => {
    const { fetch, calls } = scripted(status(429, { 'retry-after': '3600' }));
    const progress: RetryProgress[] = [];
    const response = await retrying(fetch, progress)('/m');
    expect(response.status).toBe(429);
    expect(await response.text()).toBe('status 429');
    expect(calls).toHaveLength(1);
    expect(progress).toEqual([]);
  });

  it('retries a request that got no answer, and rethrows the last network error', async () => {
    const { fetch, calls } = scripted(new TypeError('Failed to fetch'), new TypeError('Failed to fetch'), new TypeError('reset'));
    const progress: RetryProgress[] = [];
    const pending = retrying(fetch, progress)('/m');
    const outcome = expect(pending).rejects.toThrow('reset');
    await vi.runAllTimersAsync();
    await outcome;
    expect(calls).toHaveLength(3);
    expect(progress[0]).toMatchObject({ nextAttempt: 2, networkError: 'Failed to fetch' });
  });

  it('does not retry a timeout: a stalling registry would only multiply the wait', async () => {
    const { fetch, calls } = scripted(new DOMException('signal timed out', 'TimeoutError'));
    await expect(retrying(fetch)('/m')).rejects.toThrow('timed out');
    expect(calls).toHaveLength(1);
  });

  it('stops waiting when the caller aborts', async () => {
    const { fetch, calls } = scripted(status(503), status(200));
    const controller = new AbortController();
    const pending = retrying(fetch)('/m', { signal: controller.signal });
    const outcome = expect(pending).rejects.toThrow('left the page');
    await vi.advanceTimersByTimeAsync(100);
    controller.abort(new Error('left the page'));
    await outcome;
    expect(calls).toHaveLength(1);
  });

  it('asks the predicate before retrying', async () => {
    const { fetch, calls } = scripted(status(502));
    const response = await withRetries(fetch, { policy, isRetryable: () => false })('/m');
    expect(response.status).toBe(502);
    expect(calls).toHaveLength(1);
  });

  it('passes anything but GET and HEAD straight through', async () => {
    const { fetch, calls } = scripted(status(503));
    expect((await retrying(fetch)('/m', { method: 'POST' })).status).toBe(503);
    expect(calls).toHaveLength(1);
  });
});

describe('backoffDelay', () => {
  it('doubles per attempt within [half, full] of the ceiling, capped by maxWaitMs', () => {
    expect(backoffDelay(policy, 2, () => 0)).toBe(500);
    expect(backoffDelay(policy, 2, () => 0.999999)).toBe(1000);
    expect(backoffDelay(policy, 3, () => 0)).toBe(1000);
    expect(backoffDelay(policy, 10, () => 0)).toBe(15_000);
  });
});
