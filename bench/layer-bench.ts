/**
 * `npm run bench`: the "Speed and memory" benchmark of issue 3. Not a timed test: it prints
 * ratios against native tools measured in the same run, on the same machine, on the same blob.
 *
 * Setup: the bench layer (layer-fixture.ts) pushed as an OCI image to a real registry
 * (Debian's docker-registry, as in the e2e suite), the app server in front of it, the bench page
 * (bench/page, built with vite like the app) served by that server so the proxy is same-origin,
 * and Debian's chromium driven by Playwright. Every browser pass runs in a fresh context, so
 * the HTTP cache never serves the blob.
 *
 * Measurements, after a warm-up pass of each side, each repeated BENCH_ROUNDS times (default 3),
 * native and browser interleaved, medians compared:
 * - digest of the blob: the browser's digest-only pass vs `skopeo copy docker://… dir:…`;
 * - full pass (digest + decompress + diff_id + file index) vs
 *   `curl -s …/blobs/<digest> | gzip -dc | sha256sum`;
 * - renderer memory growth over a full pass of the ≥ 1 GiB tar (renderer-memory.ts says how).
 * The browser's blob travels through the app's proxy; the native tools talk to the registry.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from '@playwright/test';
import { build } from 'vite';
import { startRegistry } from '../e2e/registry/registry-server.ts';
import { pushBlob, pushManifest } from '../e2e/registry/push.ts';
import { runToCompletion } from '../e2e/support/processes.ts';
import { startServer } from '../proxy/node-server.ts';
import { layerFixture, type LayerFixture } from './layer-fixture.ts';
import type { BenchScanResult } from './page/bench-page.ts';
import { rendererPids, sampleMemory } from './renderer-memory.ts';
import { fmt, median, table } from './report.ts';
import type { LayerScanRequest } from '../src/oci/layer/events';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const REPO = 'bench/layer';
const TAG = 'v1';
const RATIO_TARGET = 1.2;
const MEMORY_TARGET_MB = 256;
const MB = 1e6;

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const fixture = await layerFixture(log);
  log(`layer: ${(fixture.size / MB).toFixed(0)} MB gzip, ${(fixture.tarBytes / MB).toFixed(0)} MB tar, ${fixture.files} files`);

  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const workDir = await mkdtemp(join(tmpdir(), 'ociscope-bench-'));
    cleanups.push(() => rm(workDir, { recursive: true, force: true }));
    const distDir = join(workDir, 'dist');
    await build({ configFile: fileURLToPath(new URL('./vite.bench.config.ts', import.meta.url)), build: { outDir: distDir } });

    const registry = await startRegistry();
    cleanups.push(registry.stop);
    await pushImage(registry.url, fixture);
    const server = await startServer({ port: 0, allowHosts: [registry.host], distDir });
    cleanups.push(server.close);
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
    cleanups.push(() => browser.close());

    const blobPath = `/v2/${REPO}/blobs/${fixture.digest}`;
    const request: LayerScanRequest = {
      url: `/registry/${registry.host}${blobPath}`,
      expectedDigest: fixture.digest,
      expectedDiffId: fixture.diffId,
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      size: fixture.size,
    };
    const skopeoDest = join(workDir, 'skopeo');
    const nativeDigest = () =>
      timed(async () => {
        await rm(skopeoDest, { recursive: true, force: true });
        await runToCompletion('skopeo', [
          'copy',
          '--quiet',
          '--insecure-policy',
          '--src-tls-verify=false',
          `docker://${registry.host}/${REPO}:${TAG}`,
          `dir:${skopeoDest}`,
        ]);
      });
    const nativeFull = () =>
      timed(async () => {
        const out = await runToCompletion('bash', [
          '-o',
          'pipefail',
          '-c',
          `curl -sf http://${registry.host}${blobPath} | gzip -dc | sha256sum`,
        ]);
        const hex = out.toString('utf8').split(' ')[0];
        if (`sha256:${hex}` !== fixture.diffId) throw new Error(`native pipeline computed sha256:${hex}, expected ${fixture.diffId}`);
      });

    // One pass of each kind first, not counted: JIT, connection pools and the page cache warm up
    // for both sides alike.
    await nativeFull();
    await browserScan(browser, server.url, request, fixture);

    const cpuBefore = cpuSnapshot();
    const runs = { nativeDigest: [] as number[], browserDigest: [] as number[], nativeFull: [] as number[], browserFull: [] as number[] };
    const firstEntries: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      runs.nativeDigest.push(await nativeDigest());
      const digestOnly = await browserScan(browser, server.url, { ...request, parseTar: false }, fixture);
      runs.browserDigest.push(digestOnly.seconds);
      runs.nativeFull.push(await nativeFull());
      const full = await browserScan(browser, server.url, request, fixture);
      runs.browserFull.push(full.seconds);
      if (full.firstEntriesSeconds !== undefined) firstEntries.push(full.firstEntriesSeconds);
      log(
        `round ${round}: skopeo ${fmt(runs.nativeDigest.at(-1)!)} s, browser digest ${fmt(digestOnly.seconds)} s, ` +
          `curl|gzip|sha256sum ${fmt(runs.nativeFull.at(-1)!)} s, browser full ${fmt(full.seconds)} s`,
      );
    }

    const memory = await memoryPass(browser, server.url, request, fixture);

    const digestRow = ratioRow('digest: browser vs skopeo copy', runs.browserDigest, runs.nativeDigest, fixture.size);
    const fullRow = ratioRow('full pass: browser vs curl|gzip -dc|sha256sum', runs.browserFull, runs.nativeFull, fixture.tarBytes);
    const growthMb = (memory.peakBytes - memory.baselineBytes) / MB;
    log('');
    log(
      table([
        ['measurement', 'browser s', 'native s', 'ratio', 'target', 'result', 'browser MB/s'],
        digestRow,
        fullRow,
        [
          `renderer memory growth, ${(fixture.tarBytes / MB).toFixed(0)} MB tar`,
          fmt(memory.seconds),
          '',
          `${growthMb.toFixed(0)} MB`,
          `≤ ${MEMORY_TARGET_MB} MB`,
          growthMb <= MEMORY_TARGET_MB ? 'pass' : 'FAIL',
          '',
        ],
      ]),
    );
    log('');
    log(`medians of ${ROUNDS} rounds; MB/s = compressed bytes (digest) or tar bytes (full pass) per browser second.`);
    const cpu = cpuSnapshot();
    if (cpu && cpuBefore) {
      const others = cpu.machine - cpuBefore.machine - (cpu.ours - cpuBefore.ours);
      log(
        `other processes on the machine used ${others.toFixed(1)} CPU-seconds during the rounds (${(cpu.wall - cpuBefore.wall).toFixed(0)} s on ${availableParallelism()} CPUs): anything well above 0 skews the ratios.`,
      );
    }
    log(
      `first entries reached the page after ${firstEntries.map(fmt).join(', ')} s; renderer RSS ${(memory.baselineBytes / MB).toFixed(0)} → ${(memory.peakBytes / MB).toFixed(0)} MB over ${memory.samples} samples.`,
    );
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

/** The image: one layer and a config naming its diff_id. */
async function pushImage(registryUrl: string, fixture: LayerFixture): Promise<void> {
  const layer = await pushBlob(registryUrl, REPO, readFileSync(fixture.path));
  const config = new TextEncoder().encode(
    JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [fixture.diffId] } }),
  );
  const pushedConfig = await pushBlob(registryUrl, REPO, config);
  const mediaType = 'application/vnd.oci.image.manifest.v1+json';
  const manifest = new TextEncoder().encode(
    JSON.stringify({
      schemaVersion: 2,
      mediaType,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...pushedConfig },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
    }),
  );
  await pushManifest(registryUrl, REPO, TAG, mediaType, manifest);
}

async function browserScan(
  browser: Browser,
  appUrl: string,
  request: LayerScanRequest,
  fixture: LayerFixture,
  during?: (pids: number[]) => () => void,
): Promise<BenchScanResult> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(appUrl);
    await page.waitForFunction(() => typeof window.runLayerScan === 'function');
    const stop = during?.(await rendererPids(browser));
    const result = await page.evaluate((r) => window.runLayerScan(r), request);
    stop?.();
    check(result, request, fixture);
    return result;
  } finally {
    await context.close();
  }
}

/** A pass that did not verify is a broken bench, not a slow one. */
function check(result: BenchScanResult, request: LayerScanRequest, fixture: LayerFixture): void {
  const done = result.terminal;
  if (done.type !== 'done') throw new Error(`browser pass failed: ${JSON.stringify(done)}`);
  if (!done.digest.ok) throw new Error(`browser digest mismatch: ${done.digest.computed}`);
  if (request.parseTar === false) return;
  if (!done.diffId.ok) throw new Error(`browser diff_id mismatch: ${done.diffId.computed}`);
  if (done.entryCount !== fixture.files || result.entries !== fixture.files) {
    throw new Error(`browser listed ${result.entries} entries (done says ${done.entryCount}), the tar has ${fixture.files}`);
  }
}

async function memoryPass(browser: Browser, appUrl: string, request: LayerScanRequest, fixture: LayerFixture) {
  let growth: ReturnType<ReturnType<typeof sampleMemory>> | undefined;
  const result = await browserScan(browser, appUrl, request, fixture, (pids) => {
    const stop = sampleMemory(pids);
    return () => (growth = stop());
  });
  return { ...growth!, seconds: result.seconds };
}

/**
 * CPU-seconds used by the whole machine and by this process's tree (the browser, registry,
 * native tools; exited children count in their parents' cutime/cstime), from Linux /proc: the
 * difference is other people's work, which the ratios cannot see.
 */
function cpuSnapshot(): { machine: number; ours: number; wall: number } | undefined {
  if (!existsSync('/proc/stat')) return undefined;
  const ticks = 100; // USER_HZ on Linux
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = fields as [number, number, number, number, number, number, number, number];
  const parents = new Map<number, number>();
  const times = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const rest = stat
        .slice(stat.lastIndexOf(')') + 2)
        .split(' ')
        .map(Number);
      parents.set(Number(name), rest[1]!);
      times.set(Number(name), rest[11]! + rest[12]! + rest[13]! + rest[14]!);
    } catch {
      // Gone between listing and reading.
    }
  }
  const ours = (pid: number): boolean => pid === process.pid || (parents.has(pid) && pid !== 1 && ours(parents.get(pid)!));
  let own = 0;
  for (const [pid, t] of times) if (ours(pid)) own += t;
  return { machine: (user + nice + system + irq + softirq + steal) / ticks, ours: own / ticks, wall: performance.now() / 1000 };
}

async function timed(action: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await action();
  return (performance.now() - started) / 1000;
}

function ratioRow(name: string, browserRuns: number[], nativeRuns: number[], bytes: number): string[] {
  const browserSeconds = median(browserRuns);
  const nativeSeconds = median(nativeRuns);
  const ratio = browserSeconds / nativeSeconds;
  return [
    name,
    fmt(browserSeconds),
    fmt(nativeSeconds),
    ratio.toFixed(2),
    `≤ ${RATIO_TARGET}`,
    ratio <= RATIO_TARGET ? 'pass' : 'FAIL',
    (bytes / MB / browserSeconds).toFixed(0),
  ];
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
