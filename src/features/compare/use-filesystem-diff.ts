/**
 * The filesystem comparison's data: the layer passes both images need (each distinct blob once,
 * a pass any other view already made reused: layer-plan.ts), started from an effect once the
 * person asked for them, and — when every pass has finished — both merged filesystems and their
 * diff. Until then it reports per-layer progress and proofs, as the merged view does.
 */
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import {
  type LayerScan,
  type LayerScanTarget,
  allScansVersion,
  existingLayerScan,
  layerScan,
  subscribeToAllScans,
} from '../../lib/layer-pass-store';
import { type LayerTrust, layerTrust } from '../../lib/layer-trust';
import type { RepositoryName } from '../../lib/view-urls';
import { type DirectoryDelta, directoryDeltas } from '../../oci/compare/directory-deltas';
import { type FsDiff, diffFilesystems } from '../../oci/compare/fs-diff';
import { mergeLayers } from '../../oci/fs/merged-fs';
import type { Descriptor } from '../../oci/spec/descriptor';
import { type LayerPlan, planLayerPasses } from './layer-plan';

export interface FsSideInput {
  repo: RepositoryName;
  layers: readonly Descriptor[];
  /** `rootfs.diff_ids` of this side's verified config, when known. */
  diffIds?: readonly string[];
  /** The config is still being fetched, so diff_ids may yet come. */
  diffIdsPending: boolean;
}

export interface LayerProgress {
  target: LayerScanTarget;
  scan?: LayerScan;
  trust: LayerTrust;
  /** B's layer is read through A's pass. */
  sharedWithA: boolean;
}

export interface FilesystemDiffState {
  plan: LayerPlan;
  a: LayerProgress[];
  b: LayerProgress[];
  /** Distinct passes not yet done, and their bytes by descriptor size. */
  toStream: { count: number; bytes: number };
  /** Distinct passes already finished in this tab (by this view or any other): reused, not downloaded again. */
  doneCount: number;
  allDone: boolean;
  /** A pass failed or a proof did not hold: everything below is untrusted. */
  untrusted: boolean;
  result?: { diff: FsDiff; directories: DirectoryDelta[]; ms: number };
}

function progressOf(
  targets: LayerScanTarget[],
  diffIds: readonly string[] | undefined,
  pending: boolean,
  shared?: Set<string>,
): LayerProgress[] {
  return targets.map((target, i) => {
    const scan = existingLayerScan(target.repo, target.digest);
    const state = scan?.getSnapshot() ?? { status: 'cancelled' as const };
    return { target, scan, trust: layerTrust(state, diffIds?.[i], pending), sharedWithA: shared?.has(target.digest) ?? false };
  });
}

/** What names a layer's tar in the diff: its proven diff_id, or its digest before a pass proved one. */
function layerIds(progress: LayerProgress[]): string[] {
  return progress.map((p) => {
    const result = p.scan?.getSnapshot().result;
    return result?.digest.ok && result.diffId.computed ? result.diffId.computed : p.target.digest;
  });
}

export function useFilesystemDiff(a: FsSideInput, b: FsSideInput, enabled: boolean): FilesystemDiffState {
  // Callers build their inputs afresh each render; what the plan depends on is which layers, where.
  const planKey = [a, b]
    .map((side) => `${side.repo.registry}/${side.repo.repository}@${side.layers.map((l) => l.digest).join(',')}`)
    .join(' ');
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const plan = useMemo(() => planLayerPasses(a, b), [planKey]);
  useEffect(() => {
    if (!enabled) return;
    for (const target of plan.distinct) layerScan(target).start();
  }, [enabled, plan]);
  useSyncExternalStore(subscribeToAllScans, allScansVersion);

  const inA = new Set(a.layers.map((l) => l.digest));
  const progressA = progressOf(plan.a, a.diffIds, a.diffIdsPending);
  const progressB = progressOf(plan.b, b.diffIds, b.diffIdsPending, inA);
  const scans = plan.distinct.map((t) => existingLayerScan(t.repo, t.digest));
  const done = scans.map((s) => s?.getSnapshot().status === 'done');
  const allDone = done.every(Boolean);
  const doneCount = done.filter(Boolean).length;
  const toStream = {
    count: done.filter((d) => !d).length,
    bytes: plan.distinct.filter((_, i) => !done[i]).reduce((sum, t) => sum + (t.size ?? 0), 0),
  };
  const untrusted = [...progressA, ...progressB].some((p) => p.trust.failed);
  // A restarted pass gets a new startedAt: the memo must not keep a diff of its earlier entries.
  const runs = scans.map((s) => s?.getSnapshot().startedAt ?? 0).join(',');

  const result = useMemo(() => {
    if (!allDone) return undefined;
    const started = performance.now();
    const files = (progress: LayerProgress[]) => mergeLayers(progress.map((p) => p.scan!.entries)).files;
    const diff = diffFilesystems(
      { files: files(progressA), layerIds: layerIds(progressA) },
      { files: files(progressB), layerIds: layerIds(progressB) },
    );
    const directories = directoryDeltas(diff.rows);
    return { diff, directories, ms: performance.now() - started };
    // progressA/B are rebuilt every render; what they hold only changes with the plan and the runs.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [allDone, plan, runs]);

  return { plan, a: progressA, b: progressB, toStream, doneCount, allDone, untrusted, result };
}
