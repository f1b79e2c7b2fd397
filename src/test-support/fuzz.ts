/**
 * How property and fuzz batteries run: fast-check with a fixed seed, so `npm test` checks the
 * same cases on every machine and a failure replays; a bounded number of cases per battery, so
 * the whole fuzz set stays within the unit tests' budget; and two knobs for longer local runs:
 *
 *   FUZZ_RUNS=20000 npx vitest run src/oci/layer/tar.fuzz.test.ts   # cases per battery
 *   FUZZ_SEED=7 npx vitest run src/oci/layer/tar.fuzz.test.ts       # another sequence of cases
 *
 * Each battery prints one line, `fuzz <battery>: <n> cases (seed <s>)`, and a failure reports
 * the shrunk counterexample with the seed and path fast-check needs to replay it.
 */
import fc from 'fast-check';
import { it } from 'vitest';

function envInteger(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(text)}`);
  return value;
}

/** The seed every battery starts from unless FUZZ_SEED says otherwise. */
export const FUZZ_SEED = envInteger('FUZZ_SEED') ?? 20_260_801;

const runsOverride = envInteger('FUZZ_RUNS');

export interface FuzzOptions {
  /** Cases in a default run; FUZZ_RUNS replaces it. */
  runs: number;
  /** Time the default number of cases may take before the test runner gives up; scaled with FUZZ_RUNS. */
  timeoutMs?: number;
  /**
   * For async properties: a case that has not settled after this long fails as a hang (a
   * pipeline waiting forever), with its counterexample, instead of stalling the whole file.
   */
  caseTimeoutMs?: number;
}

type AnyProperty = fc.IProperty<[unknown, ...unknown[]]> | fc.IAsyncProperty<[unknown, ...unknown[]]>;

/** Runs `property` over generated cases; prints the case count, throws fast-check's report on failure. */
export async function checkProperty(battery: string, property: AnyProperty, options: FuzzOptions): Promise<void> {
  const numRuns = runsOverride ?? options.runs;
  const details = await fc.check(property as fc.IAsyncProperty<[unknown, ...unknown[]]>, {
    seed: FUZZ_SEED,
    numRuns,
    ...(options.caseTimeoutMs === undefined ? {} : { timeout: options.caseTimeoutMs }),
  });
  console.log(`fuzz ${battery}: ${details.numRuns} cases (seed ${FUZZ_SEED})`);
  if (details.failed) {
    const cause = details.errorInstance instanceof Error ? `\n${details.errorInstance.message}` : '';
    throw new Error(`${await fc.asyncDefaultReportMessage(details)}${cause}`, { cause: details.errorInstance });
  }
}

/** A vitest test that checks one battery; `property` is built lazily, inside the test. */
export function itFuzzes(battery: string, options: FuzzOptions, property: () => AnyProperty): void {
  const scale = runsOverride === undefined ? 1 : Math.max(1, runsOverride / options.runs);
  it(`${battery} (generated cases)`, () => checkProperty(battery, property(), options), (options.timeoutMs ?? 30_000) * scale);
}
