/**
 * The filesystems of two images compared: asked for explicitly (it streams layers, possibly
 * gigabytes), then every distinct layer is read once — verified, digest and diff_id, as in the
 * merged view — and the paths that differ are listed with a summary ("+12 paths, −3, ~40
 * changed, +4.2 MiB"), per-directory deltas, filter and sort. Files whose content could not be
 * proven equal are said to be not compared, never unchanged.
 */
import { formatBytes } from '../../ui/format';
import type { DirectoryDelta } from '../../oci/compare/directory-deltas';
import type { FsDiffSummary } from '../../oci/compare/fs-diff';
import { Digest } from '../../ui/digest-value';
import { ProofMark } from '../../ui/proof-mark';
import { SectionBoundary } from '../../ui/section-boundary';
import { TrustedContent } from '../../ui/trusted-content';
import { SignedBytes, signedBytes } from './diff-pieces';
import { FileDiffList } from './file-diff-list';
import type { ManifestPlace } from './manifest-diff-section';
import type { FilesystemDiffState, LayerProgress } from './use-filesystem-diff';

/** "+12 paths, −3, ~40 changed, +4.2 MiB" */
export function summaryLine(s: FsDiffSummary): string {
  const parts = [
    `+${s.added.toLocaleString('en-US')} paths`,
    `−${s.removed.toLocaleString('en-US')}`,
    `~${s.changed.toLocaleString('en-US')} changed`,
  ];
  if (s.notCompared > 0) parts.push(`${s.notCompared.toLocaleString('en-US')} not compared`);
  return `${parts.join(', ')}, ${signedBytes(s.sizeDelta)}`;
}

function notComparedSentence(n: number): string {
  const subject = n === 1 ? '1 file has' : `${n.toLocaleString('en-US')} files have`;
  return `${subject} the same size and metadata on both sides but ${n === 1 ? 'comes' : 'come'} from different layers with no per-file content digest, so whether the bytes differ is not known: listed as not compared, not as unchanged.`;
}

function LayerLine({ progress, index }: { progress: LayerProgress; index: number }) {
  const state = progress.scan?.getSnapshot();
  const trust = progress.trust;
  const status = !state ? 'not started' : !state.result ? state.status : trust.failed ? 'mismatch' : 'verified';
  const bad = status === 'mismatch' || status === 'error';
  return (
    <li data-testid="compare-layer" data-status={status}>
      <ProofMark state={status === 'verified' ? 'verified' : bad ? 'mismatch' : status === 'running' ? 'pending' : 'unverified'} /> L
      {index + 1} <Digest value={progress.target.digest} />{' '}
      <span className="muted">
        {progress.sharedWithA && 'read once for both · '}
        {state?.waiting ? 'waiting its turn' : state ? formatBytes(state.compressedBytes) : ''}
        {state && !state.waiting && state.total !== undefined && ` of ${formatBytes(state.total)}`}
        {trust.digest === 'mismatch' && ' · DIGEST MISMATCH'}
        {trust.diffId === 'mismatch' && ' · DIFF_ID MISMATCH'}
        {trust.diffId === 'unverified' && state?.result && ' · diff_id not checked (no verified config)'}
        {state?.error && ` · ${state.error.message}`}
        {state?.status === 'cancelled' && ' · cancelled'}
      </span>
      {progress.scan && (state?.status === 'cancelled' || state?.status === 'error') && (
        <button type="button" onClick={() => progress.scan!.restart()}>
          Start again
        </button>
      )}
    </li>
  );
}

function DirectoryTable({ directories, onPick }: { directories: DirectoryDelta[]; onPick: (dir: string) => void }) {
  // The root's totals are the summary; two levels below show where things happened without a wall of rows.
  const shown = directories.filter((d) => d.depth >= 1 && d.depth <= 3);
  if (shown.length === 0) return null;
  return (
    <details open={shown.length <= 40} data-testid="directory-deltas">
      <summary>
        Per directory <span className="count">{shown.length}</span>
      </summary>
      <table className="grid compare-grid">
        <thead>
          <tr>
            <th>Directory</th>
            <th className="num">added</th>
            <th className="num">removed</th>
            <th className="num">changed</th>
            <th className="num">not compared</th>
            <th className="num">Δ bytes</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((d) => (
            <tr key={d.path} data-testid="directory-delta" data-path={d.path}>
              <th scope="row" style={{ paddingLeft: `${d.depth - 0.5}rem` }}>
                <button type="button" className="link-button" onClick={() => onPick(d.path)}>
                  /{d.path}/
                </button>
              </th>
              <td className="num">{d.added || ''}</td>
              <td className="num">{d.removed || ''}</td>
              <td className="num">{d.changed || ''}</td>
              <td className="num">{d.notCompared || ''}</td>
              <td className="num">
                <SignedBytes bytes={d.sizeDelta} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

export function FsDiffSection({
  state,
  started,
  onStart,
  a,
  b,
  dir,
  onDir,
}: {
  state: FilesystemDiffState;
  started: boolean;
  onStart: () => void;
  a: ManifestPlace;
  b: ManifestPlace;
  dir: string;
  onDir: (dir: string) => void;
}) {
  const { toStream, plan, result } = state;
  if (!started && !state.allDone) {
    return (
      <section className="compare-section" data-testid="fs-diff-section" data-state="idle">
        <h2>Filesystem</h2>
        <p>
          Rebuilding both filesystems reads {plan.distinct.length} distinct layer{plan.distinct.length === 1 ? '' : 's'}
          {plan.sharedCount > 0 && ` (${plan.sharedCount} of B’s are A’s too, read once)`}: {toStream.count} still to stream,{' '}
          {formatBytes(toStream.bytes)}
          {state.doneCount > 0 && `; ${state.doneCount} already read in this tab ${state.doneCount === 1 ? 'is' : 'are'} reused`}.
        </p>
        <button type="button" onClick={onStart} data-testid="start-fs-diff">
          Compare the filesystems
        </button>
      </section>
    );
  }
  return (
    <section className="compare-section" data-testid="fs-diff-section" data-state={result ? 'done' : 'streaming'}>
      <h2>Filesystem</h2>
      <div
        className={`verification ${state.untrusted ? 'mismatch' : state.allDone ? 'verified' : 'pending'}`}
        data-testid="fs-verification"
        data-status={state.untrusted ? 'mismatch' : state.allDone ? 'verified' : 'pending'}
      >
        <p className="verification-headline">
          {state.untrusted
            ? '✗ A layer failed verification or could not be read: the comparison below is untrusted.'
            : state.allDone
              ? `✓ Every layer of both images read and verified in your browser (${plan.distinct.length} distinct).`
              : `Streaming ${toStream.count} of ${plan.distinct.length} layers (${formatBytes(toStream.bytes)} to go)…`}
        </p>
        <div className="compare-layer-lists">
          {(['A', 'B'] as const).map((side) => (
            <div key={side}>
              <h3>{side}</h3>
              <ol className="layer-list">
                {(side === 'A' ? state.a : state.b).map((p, i) => (
                  <LayerLine key={i} progress={p} index={i} />
                ))}
              </ol>
            </div>
          ))}
        </div>
      </div>
      {result && (
        <TrustedContent trusted={!state.untrusted}>
          <p className="fs-summary" data-testid="fs-diff-summary">
            <strong>{summaryLine(result.diff.summary)}</strong>{' '}
            <span className="muted">
              ({result.diff.summary.unchanged.toLocaleString('en-US')} paths unchanged; compared in {Math.round(result.ms)} ms)
            </span>
          </p>
          <p className="muted small">
            Modification times are not compared: every rebuild changes them.{' '}
            {result.diff.summary.notCompared > 0 && (
              <span data-testid="not-compared-note">{notComparedSentence(result.diff.summary.notCompared)}</span>
            )}
          </p>
          <SectionBoundary name="The directory deltas">
            <DirectoryTable directories={result.directories} onPick={onDir} />
          </SectionBoundary>
          <SectionBoundary name="The file list">
            <FileDiffList rows={result.diff.rows} a={a} b={b} dir={dir} onClearDir={() => onDir('')} />
          </SectionBoundary>
        </TrustedContent>
      )}
    </section>
  );
}
