/**
 * Renderer memory while a pass runs, measured as the resident set (VmRSS) of Chromium's
 * renderer processes, sampled from /proc.
 *
 * Why RSS of the process and not a JS-level API: a pass's memory is mostly outside the page's
 * JS heap — two workers' heaps, hash-wasm's WebAssembly memory, ArrayBuffers in flight between
 * threads, zlib's state, the Mojo data pipe the response arrives through. Dedicated workers live
 * in their page's renderer process, so its RSS sees all of that. `performance.memory` and CDP's
 * `Performance.getMetrics` see only the page's own heap, and
 * `performance.measureUserAgentSpecificMemory` needs cross-origin isolation the app does not
 * serve and counts no native buffers.
 */
import { readFileSync } from 'node:fs';
import type { Browser } from '@playwright/test';

/** Renderer pids, from the browser's own process list (CDP SystemInfo.getProcessInfo). */
export async function rendererPids(browser: Browser): Promise<number[]> {
  const session = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = (await session.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
    return processInfo.filter((p) => p.type === 'renderer').map((p) => p.id);
  } finally {
    await session.detach();
  }
}

function residentBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0; // The process is gone (a spare renderer closed): it holds nothing.
  }
}

export interface MemoryGrowth {
  baselineBytes: number;
  peakBytes: number;
  samples: number;
}

/** Samples the summed RSS of `pids` every `intervalMs` until the returned stop() is called. */
export function sampleMemory(pids: readonly number[], intervalMs = 50): () => MemoryGrowth {
  const total = () => pids.reduce((sum, pid) => sum + residentBytes(pid), 0);
  const baselineBytes = total();
  let peakBytes = baselineBytes;
  let samples = 0;
  const timer = setInterval(() => {
    peakBytes = Math.max(peakBytes, total());
    samples++;
  }, intervalMs);
  return () => {
    clearInterval(timer);
    peakBytes = Math.max(peakBytes, total());
    return { baselineBytes, peakBytes, samples };
  };
}
