/**
 * Samples a process's resident memory at a fixed interval while a phase of the load bench runs,
 * so "bounded and flat" is judged on the whole run rather than on its end points.
 */
export interface RssSummary {
  /** Before the phase's first request. */
  readonly startBytes: number;
  readonly peakBytes: number;
  /** Right after the phase's last response was read. */
  readonly endBytes: number;
  readonly samples: number;
}

const INTERVAL_MS = 50;

/** Runs `phase` while sampling `rss` every 50 ms; returns the phase's result and the summary. */
export async function sampleRssDuring<T>(rss: () => Promise<number>, phase: () => Promise<T>): Promise<{ result: T; memory: RssSummary }> {
  const startBytes = await rss();
  let peakBytes = startBytes;
  let samples = 1;
  let pending = Promise.resolve();
  const timer = setInterval(() => {
    pending = pending.then(async () => {
      peakBytes = Math.max(peakBytes, await rss());
      samples++;
    });
  }, INTERVAL_MS);
  let result: T;
  try {
    result = await phase();
  } finally {
    clearInterval(timer);
    await pending;
  }
  const endBytes = await rss();
  return { result, memory: { startBytes, peakBytes: Math.max(peakBytes, endBytes), endBytes, samples: samples + 1 } };
}
