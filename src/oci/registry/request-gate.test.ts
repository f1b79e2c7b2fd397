import { describe, expect, it } from 'vitest';
import { RegistryError } from './errors';
import { createRequestGate } from './request-gate';

/** A clock and timers the test moves by hand. */
function manualTime() {
  let time = 1_000_000;
  const timers: { at: number; callback: () => void }[] = [];
  return {
    now: () => time,
    setTimer: (callback: () => void, ms: number) => timers.push({ at: time + ms, callback }),
    advance(ms: number) {
      time += ms;
      for (const timer of timers.filter((t) => t.at <= time)) {
        timers.splice(timers.indexOf(timer), 1);
        timer.callback();
      }
    },
  };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const rateLimited = (retryAt?: number) =>
  new RegistryError({ kind: 'rate-limited', status: 429, url: '/x', retryAt }, 'rate limit reached');

describe('createRequestGate', () => {
  it('runs at most `limit` tasks at once', async () => {
    const gate = createRequestGate({ limit: 2 });
    const tasks = [deferred<number>(), deferred<number>(), deferred<number>()];
    let started = 0;
    const results = tasks.map((t) =>
      gate.run(() => {
        started++;
        return t.promise;
      }),
    );
    await flush();
    expect(started).toBe(2);
    expect(gate.snapshot()).toMatchObject({ running: 2, waiting: 1 });
    tasks[0]!.resolve(0);
    await flush();
    expect(started).toBe(3);
    tasks[1]!.resolve(1);
    tasks[2]!.resolve(2);
    expect(await Promise.all(results)).toEqual([0, 1, 2]);
    expect(gate.snapshot()).toMatchObject({ running: 0, waiting: 0 });
  });

  it('pauses every task on a 429 until Retry-After, then runs the failed one again', async () => {
    const time = manualTime();
    const gate = createRequestGate({ limit: 1, now: time.now, setTimer: time.setTimer });
    let attempts = 0;
    const first = gate.run(async () => {
      attempts++;
      if (attempts === 1) throw rateLimited(time.now() + 5000);
      return 'done';
    });
    let secondRan = false;
    const second = gate.run(async () => {
      secondRan = true;
      return 'second';
    });
    await flush();
    expect(gate.snapshot()).toMatchObject({ pausedUntil: time.now() + 5000, rateLimits: 1, waiting: 2 });
    expect(secondRan).toBe(false);
    time.advance(4999);
    await flush();
    expect(secondRan).toBe(false);
    time.advance(1);
    expect(await first).toBe('done');
    expect(await second).toBe('second');
    expect(attempts).toBe(2);
    expect(gate.snapshot().pausedUntil).toBeUndefined();
  });

  it('waits a default pause when the 429 named no time, never less than a second', async () => {
    const time = manualTime();
    const gate = createRequestGate({ limit: 1, defaultPauseMs: 30_000, now: time.now, setTimer: time.setTimer });
    let attempts = 0;
    const task = gate.run(async () => {
      attempts++;
      if (attempts === 1) throw rateLimited();
      if (attempts === 2) throw rateLimited(time.now() - 10);
      return attempts;
    });
    await flush();
    expect(gate.snapshot().pausedUntil).toBe(time.now() + 30_000);
    time.advance(30_000);
    await flush();
    expect(gate.snapshot().pausedUntil).toBe(time.now() + 1000);
    time.advance(1000);
    expect(await task).toBe(3);
  });

  it('passes other failures through and lets an abort end a waiting task', async () => {
    const gate = createRequestGate({ limit: 1 });
    await expect(gate.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const blocker = deferred<void>();
    const running = gate.run(() => blocker.promise);
    const controller = new AbortController();
    const waiting = gate.run(async () => 'never', controller.signal);
    await flush();
    controller.abort(new Error('left the page'));
    await expect(waiting).rejects.toThrow('left the page');
    expect(gate.snapshot().waiting).toBe(0);
    blocker.resolve();
    await running;
  });

  it('tells listeners what changed', async () => {
    const gate = createRequestGate({ limit: 1 });
    const seen: number[] = [];
    gate.subscribe(() => seen.push(gate.snapshot().running));
    await gate.run(async () => undefined);
    expect(seen).toContain(1);
    expect(seen.at(-1)).toBe(0);
  });
});
