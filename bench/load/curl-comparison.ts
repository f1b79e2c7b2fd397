/**
 * One throughput comparison of the load bench: the same blob fetched with curl straight from its
 * origin and through something in between (the proxy, or a cache in front of it), first one
 * transfer at a time (alternating, `rounds` each, medians compared), then `parallel` at once.
 * Phases C, D and E differ only in the two URLs and in what is sampled around the parallel run.
 */
import { fmt, median } from '../report.ts';
import { parallelCurl, type RequestOutcome } from './load-client.ts';

export interface CurlComparison {
  readonly singleDirect: number[];
  readonly singleVia: number[];
  readonly parallelDirectSeconds: number;
  readonly parallelViaSeconds: number;
  /** Median single-transfer time direct ÷ via: 1 means the middle costs nothing. */
  readonly singleRatio: number;
  readonly parallelRatio: number;
  /** Failed transfers of the parallel runs, direct and via. */
  readonly errors: RequestOutcome[];
}

export interface ComparisonOptions {
  readonly direct: string;
  readonly via: string;
  readonly size: number;
  readonly rounds: number;
  readonly parallel: number;
  /** Wraps the parallel run through the middle, to sample what it costs (RSS, CPU). */
  readonly aroundParallelVia?: (
    run: () => Promise<{ outcomes: RequestOutcome[]; seconds: number }>,
  ) => Promise<{ outcomes: RequestOutcome[]; seconds: number }>;
}

export async function compareWithCurl(options: ComparisonOptions): Promise<CurlComparison> {
  const { direct, via, size, rounds, parallel } = options;
  const singleDirect: number[] = [];
  const singleVia: number[] = [];
  for (let round = 0; round < rounds; round++) {
    singleDirect.push((await parallelCurl(1, direct, size)).seconds);
    singleVia.push((await parallelCurl(1, via, size)).seconds);
  }
  const parallelDirect = await parallelCurl(parallel, direct, size);
  const runVia = () => parallelCurl(parallel, via, size);
  const parallelVia = await (options.aroundParallelVia ?? ((run) => run()))(runVia);
  return {
    singleDirect,
    singleVia,
    parallelDirectSeconds: parallelDirect.seconds,
    parallelViaSeconds: parallelVia.seconds,
    singleRatio: median(singleDirect) / median(singleVia),
    parallelRatio: parallelDirect.seconds / parallelVia.seconds,
    errors: [...parallelDirect.outcomes, ...parallelVia.outcomes].filter((outcome) => !outcome.ok),
  };
}

/** The table rows of a comparison: speeds, ratios against `target`, errors. `label` starts each row. */
export function comparisonRows(
  label: string,
  via: string,
  comparison: CurlComparison,
  options: { size: number; parallel: number; target: number },
): string[][] {
  const { size, parallel, target } = options;
  const mbps = (bytes: number, seconds: number) => `${(bytes / 1e6 / seconds).toFixed(0)} MB/s`;
  const pass = (ok: boolean) => (ok ? 'pass' : 'FAIL');
  return [
    [
      `${label} one curl: direct / ${via}`,
      `${mbps(size, median(comparison.singleDirect))} / ${mbps(size, median(comparison.singleVia))}`,
      '',
      '',
    ],
    [
      `${label} one curl: ${via} ÷ direct throughput`,
      comparison.singleRatio.toFixed(2),
      `≥ ${target}`,
      pass(comparison.singleRatio >= target),
    ],
    [
      `${label} ${parallel} curls: direct / ${via}`,
      `${mbps(parallel * size, comparison.parallelDirectSeconds)} / ${mbps(parallel * size, comparison.parallelViaSeconds)}`,
      '',
      '',
    ],
    [
      `${label} ${parallel} curls: ${via} ÷ direct throughput`,
      comparison.parallelRatio.toFixed(2),
      `≥ ${target}`,
      pass(comparison.parallelRatio >= target),
    ],
    [`${label} ${parallel} curls: errors`, String(comparison.errors.length), '0', pass(comparison.errors.length === 0)],
  ];
}

/** The single-transfer times behind the medians, for the log. */
export function singleTimes(name: string, via: string, comparison: CurlComparison): string {
  return `${name} single-curl times: direct ${comparison.singleDirect.map(fmt).join(', ')} s, ${via} ${comparison.singleVia.map(fmt).join(', ')} s (median used).`;
}
