/**
 * The "Load and scale" benchmark of issue 4, part of `npm run bench`. Bounded and loopback only:
 * a real registry (Debian's docker-registry, as in the e2e suite) with one image whose layer is a
 * BENCH_BLOB_MB (default 100) MB blob, and the app server in a child process (load/app-process.ts)
 * so its resident memory is the proxy's alone. Not a timed test: it prints what it measured, the
 * targets, and pass/FAIL; the exit code is non-zero only when a request failed.
 *
 * Phases, each with the proxy's RSS sampled every 50 ms:
 * A. BENCH_MANIFEST_WAVES (default 4) waves of 500 concurrent proxied manifest GETs by tag
 *    (uncached: each one reaches the registry); every body's sha256 checked; latency p50/p99,
 *    next to the same waves sent straight to the registry.
 * B. BENCH_STREAMS (default 100) concurrent blob streams through the proxy with Node's fetch,
 *    every body hashed as it arrives and compared with the blob digest.
 * C. Throughput against a direct `curl` of the same blob, measured in the same run: one curl
 *    alone (direct, then proxied, median of 3), and BENCH_STREAMS curls in parallel (direct,
 *    then proxied). curl writes to /dev/null, so the comparison is transfer only. The proxy's CPU
 *    time per GB relayed is printed too: unlike the ratios it does not depend on what else the
 *    machine is running.
 * D. The same comparison against an upstream that behaves like a registry over a network: the
 *    blob served by load/paced-upstream.ts at BENCH_PACED_MBPS (default 80) MB/s per connection.
 *    One curl alone (median of 3) and BENCH_PACED_STREAMS (default 8) in parallel, direct and
 *    proxied. Phase C stays: on loopback the registry sends with sendfile and nothing waits on a
 *    wire, so C measures how much of two shared cores the extra copies take; D measures whether
 *    the proxy holds a registry's own pace.
 * E. The deployment the README recommends: nginx `proxy_cache` in front of the app (the e2e
 *    cache test's configuration, e2e/support/nginx.ts). After one fetch has filled the cache,
 *    one curl alone (median of 3) and BENCH_STREAMS in parallel through nginx, against direct.
 *    Digest-addressed blobs are immutable, so this is how a popular blob is served: by the
 *    cache, with the Node relay paid once per blob rather than per download.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pushBlob, pushManifest } from '../e2e/registry/push.ts';
import { startRegistry } from '../e2e/registry/registry-server.ts';
import { startCachingNginx } from '../e2e/support/nginx.ts';
import { startAppProcess } from './load/app-process.ts';
import { comparisonRows, compareWithCurl, singleTimes } from './load/curl-comparison.ts';
import { concurrently, fetchVerified, parallelCurl, percentile, type RequestOutcome } from './load/load-client.ts';
import { startPacedUpstream } from './load/paced-upstream.ts';
import { sampleRssDuring, type RssSummary } from './load/rss-sampler.ts';
import { table } from './report.ts';

const MB = 1e6;
const MIB = 1024 * 1024;
const BLOB_MB = Number(process.env.BENCH_BLOB_MB ?? 100);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 100);
const MANIFEST_CONCURRENCY = 500;
const MANIFEST_WAVES = Number(process.env.BENCH_MANIFEST_WAVES ?? 4);
const SINGLE_ROUNDS = 3;
const PACED_MBPS = Number(process.env.BENCH_PACED_MBPS ?? 80);
const PACED_STREAMS = Number(process.env.BENCH_PACED_STREAMS ?? 8);

const REPO = 'bench/load';
const TAG = 'v1';
const MANIFEST_TYPE = 'application/vnd.oci.image.manifest.v1+json';

const THROUGHPUT_TARGET = 0.9;
/** Bounded: well under one blob per stream; a proxy that buffered bodies would need ≥ 10 GB. */
const PEAK_RSS_TARGET_MIB = 512;
/** Flat: what the proxy still holds after a phase, over what it held before. */
const END_GROWTH_TARGET_MIB = 64;
/** Flat under repeated load: no growth from wave to wave of manifest GETs (a leak would grow ~linearly). */
const WAVE_GROWTH_TARGET_MIB = 32;

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const workDir = await mkdtemp(join(tmpdir(), 'ociscope-load-'));
    cleanups.push(() => rm(workDir, { recursive: true, force: true }));
    const registry = await startRegistry();
    cleanups.push(registry.stop);
    log(`registry ${registry.host}; pushing a ${BLOB_MB} MB blob…`);
    const layer = randomBytes(BLOB_MB * MB);
    const image = await pushImage(registry.url, layer);
    const blobFile = join(workDir, 'blob');
    await writeFile(blobFile, layer);
    const paced = await startPacedUpstream({ file: blobFile, urlPath: `/v2/${REPO}/blobs/${image.blob}`, bytesPerSecond: PACED_MBPS * MB });
    cleanups.push(paced.stop);
    log(`paced upstream ${paced.host} (${PACED_MBPS} MB/s per connection)`);
    // The proxy is all the bench needs; an empty dist directory keeps the SPA out of it.
    const app = await startAppProcess({ allowHosts: [registry.host, paced.host], distDir: workDir });
    cleanups.push(app.stop);
    log(`app server ${app.url} (pid ${app.pid})`);

    const proxied = (apiPath: string) => `${app.url}/registry/${registry.host}/v2/${REPO}/${apiPath}`;
    const manifestUrl = proxied(`manifests/${TAG}`);
    const blobUrl = proxied(`blobs/${image.blob}`);
    const directBlobUrl = `${registry.url}/v2/${REPO}/blobs/${image.blob}`;
    const blobBytes = BLOB_MB * MB;

    // Warm-up, not counted: JIT, connection pools and the page cache, for both paths alike.
    // One full wave of manifests grows the heap to its working size once.
    await concurrently(MANIFEST_CONCURRENCY, () => fetchVerified(manifestUrl, image.manifest, { accept: MANIFEST_TYPE }));
    await fetchVerified(blobUrl, image.blob);
    await parallelCurl(1, directBlobUrl, blobBytes);

    log(`A. ${MANIFEST_WAVES} × ${MANIFEST_CONCURRENCY} concurrent manifest GETs, direct then proxied…`);
    const afterWave: number[] = [];
    const manifestWaves = async (url: string, afterEach?: () => Promise<void>): Promise<RequestOutcome[]> => {
      const outcomes: RequestOutcome[] = [];
      for (let wave = 0; wave < MANIFEST_WAVES; wave++) {
        const result = await concurrently(MANIFEST_CONCURRENCY, () => fetchVerified(url, image.manifest, { accept: MANIFEST_TYPE }));
        outcomes.push(...result.outcomes);
        await afterEach?.();
      }
      return outcomes;
    };
    const directManifests = await manifestWaves(`${registry.url}/v2/${REPO}/manifests/${TAG}`);
    const manifests = await sampleRssDuring(app.rss, () => manifestWaves(manifestUrl, async () => void afterWave.push(await app.rss())));

    log(`B. ${STREAMS} concurrent ${BLOB_MB} MB blob streams, each hashed…`);
    const streams = await sampleRssDuring(app.rss, () => concurrently(STREAMS, () => fetchVerified(blobUrl, image.blob)));

    log(`C. curl: 1 alone × ${SINGLE_ROUNDS}, then ${STREAMS} in parallel, direct and proxied…`);
    let proxiedMemory: RssSummary | undefined;
    let cpuPerGB = Number.NaN;
    const loopback = await compareWithCurl({
      direct: directBlobUrl,
      via: blobUrl,
      size: blobBytes,
      rounds: SINGLE_ROUNDS,
      parallel: STREAMS,
      aroundParallelVia: async (run) => {
        const cpuBefore = await app.cpuSeconds();
        const sampled = await sampleRssDuring(app.rss, run);
        cpuPerGB = ((await app.cpuSeconds()) - cpuBefore) / ((STREAMS * blobBytes) / 1e9);
        proxiedMemory = sampled.memory;
        return sampled.result;
      },
    });

    log(
      `D. paced upstream (${PACED_MBPS} MB/s per connection): curl 1 alone × ${SINGLE_ROUNDS}, then ${PACED_STREAMS} in parallel, direct and proxied…`,
    );
    const pacedBlobUrl = `${app.url}/registry/${paced.host}/v2/${REPO}/blobs/${image.blob}`;
    await parallelCurl(1, pacedBlobUrl, blobBytes);
    let pacedMemory: RssSummary | undefined;
    const pacedComparison = await compareWithCurl({
      direct: `${paced.url}/v2/${REPO}/blobs/${image.blob}`,
      via: pacedBlobUrl,
      size: blobBytes,
      rounds: SINGLE_ROUNDS,
      parallel: PACED_STREAMS,
      aroundParallelVia: async (run) => {
        const sampled = await sampleRssDuring(app.rss, run);
        pacedMemory = sampled.memory;
        return sampled.result;
      },
    });

    log(
      `E. nginx proxy_cache in front of the app (README deployment): warm, then curl 1 alone × ${SINGLE_ROUNDS} and ${STREAMS} in parallel, direct and cached…`,
    );
    const cdn = await startCachingNginx(app.url);
    cleanups.push(cdn.stop);
    const cachedBlobUrl = `${cdn.url}/registry/${registry.host}/v2/${REPO}/blobs/${image.blob}`;
    await parallelCurl(1, cachedBlobUrl, blobBytes);
    const cacheStatus = await cacheStatusOf(cachedBlobUrl);
    const cached = await compareWithCurl({
      direct: directBlobUrl,
      via: cachedBlobUrl,
      size: blobBytes,
      rounds: SINGLE_ROUNDS,
      parallel: STREAMS,
    });

    const manifestErrors = failures(manifests.result);
    const streamErrors = failures(streams.result.outcomes);
    const latencies = manifests.result.map((outcome) => outcome.ms);
    const directLatencies = directManifests.map((outcome) => outcome.ms);
    const latency = (values: number[]) => `${percentile(values, 0.5).toFixed(0)} / ${percentile(values, 0.99).toFixed(0)} ms`;
    const streamedGB = (STREAMS * blobBytes) / 1e9;
    const mbps = (bytes: number, seconds: number) => `${(bytes / MB / seconds).toFixed(0)} MB/s`;

    log('');
    log(
      table([
        ['measurement', 'value', 'target', 'result'],
        [
          `A. manifest GETs (${manifests.result.length}, ${MANIFEST_CONCURRENCY} at once): errors`,
          String(manifestErrors.length),
          '0',
          passIf(manifestErrors.length === 0),
        ],
        ['A. manifest latency p50 / p99, proxied', latency(latencies), '', ''],
        [`A. manifest latency p50 / p99, direct (${failures(directManifests).length} errors)`, latency(directLatencies), '', ''],
        ...memoryRows('A. proxy RSS', manifests.memory),
        waveGrowthRow(afterWave),
        [
          `B. blob streams (${STREAMS} × ${BLOB_MB} MB, sha256 each): errors`,
          String(streamErrors.length),
          '0',
          passIf(streamErrors.length === 0),
        ],
        [
          'B. aggregate through the proxy (Node fetch)',
          `${mbps(STREAMS * blobBytes, streams.result.seconds)} (${streamedGB.toFixed(1)} GB in ${streams.result.seconds.toFixed(1)} s)`,
          '',
          '',
        ],
        ...memoryRows('B. proxy RSS', streams.memory),
        ...comparisonRows('C.', 'proxied', loopback, { size: blobBytes, parallel: STREAMS, target: THROUGHPUT_TARGET }),
        ...memoryRows('C. proxy RSS', proxiedMemory!),
        [`C. ${STREAMS} curls: proxy CPU (user + system) per GB relayed`, `${cpuPerGB.toFixed(2)} s`, '', ''],
        ...comparisonRows(`D. paced ${PACED_MBPS} MB/s,`, 'proxied', pacedComparison, {
          size: blobBytes,
          parallel: PACED_STREAMS,
          target: THROUGHPUT_TARGET,
        }),
        ...memoryRows('D. proxy RSS', pacedMemory!),
        ['E. nginx cache status of the blob after one fetch', cacheStatus, 'HIT', passIf(cacheStatus === 'HIT')],
        ...comparisonRows('E.', 'cached', cached, { size: blobBytes, parallel: STREAMS, target: THROUGHPUT_TARGET }),
      ]),
    );
    log('');
    log(
      `loopback only (D paces its upstream at ${PACED_MBPS} MB/s per connection instead of a network); ${BLOB_MB} MB blob = ${((BLOB_MB * MB) / MIB).toFixed(0)} MiB; RSS of the app server process (pid ${app.pid}) from /proc, sampled every 50 ms.`,
    );
    log(singleTimes('loopback', 'proxied', loopback));
    log(singleTimes('paced', 'proxied', pacedComparison));
    log(
      'every process (registry, proxy, curl or the hashing client) shares this machine’s cores; the parallel ratio includes the proxy’s CPU competing with them.',
    );
    log(singleTimes('cached', 'cached', cached));
    const allErrors = [...manifestErrors, ...streamErrors, ...loopback.errors, ...pacedComparison.errors, ...cached.errors];
    for (const problem of new Set(allErrors.map((outcome) => outcome.problem)).values()) log(`error: ${problem}`);
    if (allErrors.length > 0) process.exitCode = 1;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

/** nginx's X-Cache-Status for a GET of `url`; the body is not read. */
async function cacheStatusOf(url: string): Promise<string> {
  const response = await fetch(url);
  await response.body?.cancel();
  return response.headers.get('x-cache-status') ?? '(none)';
}

/** The bench image: a config, one layer (the big blob) and the manifest under TAG. */
async function pushImage(registryUrl: string, layer: Uint8Array<ArrayBuffer>): Promise<{ manifest: string; blob: string }> {
  const pushedLayer = await pushBlob(registryUrl, REPO, layer);
  const config = await pushBlob(
    registryUrl,
    REPO,
    new TextEncoder().encode(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } })),
  );
  const manifest = new TextEncoder().encode(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MANIFEST_TYPE,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...pushedLayer }],
    }),
  );
  const pushedManifest = await pushManifest(registryUrl, REPO, TAG, MANIFEST_TYPE, manifest);
  return { manifest: pushedManifest.digest, blob: pushedLayer.digest };
}

function memoryRows(label: string, memory: RssSummary): string[][] {
  const mib = (bytes: number) => (bytes / MIB).toFixed(0);
  const growth = (memory.endBytes - memory.startBytes) / MIB;
  return [
    [
      `${label} start / peak / end`,
      `${mib(memory.startBytes)} / ${mib(memory.peakBytes)} / ${mib(memory.endBytes)} MiB`,
      `peak ≤ ${PEAK_RSS_TARGET_MIB} MiB`,
      passIf(memory.peakBytes / MIB <= PEAK_RSS_TARGET_MIB),
    ],
    [
      `${label} end − start (${memory.samples} samples)`,
      `${growth.toFixed(0)} MiB`,
      `≤ ${END_GROWTH_TARGET_MIB} MiB`,
      passIf(growth <= END_GROWTH_TARGET_MIB),
    ],
  ];
}

/** Flat under repeated load: what the proxy holds after the last wave over what it held after the first. */
function waveGrowthRow(afterWave: readonly number[]): string[] {
  const growth = ((afterWave.at(-1) ?? 0) - (afterWave[0] ?? 0)) / MIB;
  const trail = afterWave.map((bytes) => (bytes / MIB).toFixed(0)).join(' → ');
  return [
    `A. proxy RSS after each wave`,
    `${trail} MiB`,
    `last − first ≤ ${WAVE_GROWTH_TARGET_MIB} MiB`,
    passIf(growth <= WAVE_GROWTH_TARGET_MIB),
  ];
}

function failures(outcomes: readonly RequestOutcome[]): RequestOutcome[] {
  return outcomes.filter((outcome) => !outcome.ok);
}

function passIf(condition: boolean): string {
  return condition ? 'pass' : 'FAIL';
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
