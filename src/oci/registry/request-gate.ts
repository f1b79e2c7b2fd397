/**
 * A gate in front of one registry for work that fans out (a detail row per tag): at most
 * `limit` tasks at once, and one pause for all of them when the registry rate-limits. A task
 * that meets HTTP 429 is not dropped: the gate closes until the registry's `Retry-After` (or a
 * default wait when it gave none), says so to whoever listens, and runs the task again when it
 * opens. Only a caller's abort ends a waiting task. Time and timers are injected for tests.
 */
import { isRegistryError } from './errors';

/** What the gate is doing, for "paused by a rate limit; resumes at …; 12 waiting". */
export interface GateSnapshot {
  running: number;
  waiting: number;
  /** While paused: when the registry said to try again, in ms since epoch. */
  pausedUntil?: number;
  /** How many times a rate limit closed the gate. */
  rateLimits: number;
}

/** What a gate offers: running work through it, pausing it, and watching it. */
export interface RequestGate {
  /** Runs `task` (which honours `signal` itself) when a slot is free and the gate is open; again after a rate limit. */
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Closes the gate until `until` (a 429 seen elsewhere, e.g. by the transport's own retry). */
  pauseUntil(until: number): void;
  snapshot(): GateSnapshot;
  subscribe(listener: () => void): () => void;
}

/** How many at once, how long a pause lasts when a 429 names no time, and injected time for tests. */
export interface GateOptions {
  limit: number;
  /** The pause when a 429 says nothing about when to come back. */
  defaultPauseMs?: number;
  now?: () => number;
  setTimer?: (callback: () => void, ms: number) => unknown;
}

/** Never come back sooner than this, whatever the registry said: a retryAt in the past would spin. */
const MIN_PAUSE_MS = 1000;

/** A gate letting `limit` tasks through at once and pausing them all on a rate limit. */
export function createRequestGate(options: GateOptions): RequestGate {
  const now = options.now ?? Date.now;
  const setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
  const defaultPauseMs = options.defaultPauseMs ?? 30_000;
  const queue: (() => void)[] = [];
  const listeners = new Set<() => void>();
  let running = 0;
  let pausedUntil: number | undefined;
  let rateLimits = 0;
  let snapshot: GateSnapshot = { running, waiting: 0, rateLimits };

  function publish(): void {
    snapshot = { running, waiting: queue.length, pausedUntil, rateLimits };
    for (const listener of listeners) listener();
  }

  function pump(): void {
    if (pausedUntil !== undefined && now() >= pausedUntil) pausedUntil = undefined;
    while (pausedUntil === undefined && running < options.limit && queue.length > 0) {
      running++;
      queue.shift()!();
    }
    publish();
  }

  function pauseUntil(until: number): void {
    if (until <= now() || (pausedUntil !== undefined && pausedUntil >= until)) return;
    pausedUntil = until;
    rateLimits++;
    setTimer(pump, until - now());
    publish();
  }

  function slot(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const entry = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        const at = queue.indexOf(entry);
        if (at >= 0) queue.splice(at, 1);
        publish();
        reject(signal?.reason);
      };
      if (signal?.aborted) return reject(signal.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(entry);
      pump();
    });
  }

  async function run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    for (;;) {
      await slot(signal);
      try {
        return await task();
      } catch (error) {
        if (signal?.aborted || !isRegistryError(error) || error.kind !== 'rate-limited') throw error;
        pauseUntil(Math.max(error.detail.retryAt ?? now() + defaultPauseMs, now() + MIN_PAUSE_MS));
      } finally {
        running--;
        pump();
      }
    }
  }

  return {
    run,
    pauseUntil,
    snapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
