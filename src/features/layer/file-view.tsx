/**
 * One file of a layer: its `ls -l` facts, and its bytes streamed out of the layer — text, image
 * or hex — with the preview capped at 1 MiB until the person asks for all of it. Links resolve
 * to their targets. Bytes read on their own carry their own proof (file-access-note.tsx);
 * streamed ones are as trustworthy as the layer's verification says.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { exactBytes } from '../../ui/format';
import type { LayerScanTarget } from '../../lib/layer-pass-store';
import { layerFileQuery } from '../../lib/queries/layer-file-query';
import type { FileNode } from '../../oci/fs/file-tree';
import { modeString } from '../../oci/fs/file-mode';
import { resolveLink } from '../../lib/link-path';
import { ErrorPanel } from '../../ui/error-panel';
import { DownloadButton, FilePreview } from '../../ui/file-preview';
import type { HrefFor } from './directory-listing';
import { FileAccessNote } from './file-access-note';
import { formatMtime } from './file-row';
import { parentPath } from '../../oci/layer/tar-entry';

export const PREVIEW_LIMIT = 1024 * 1024;

function FileBytes({ target, node }: { target: LayerScanTarget; node: FileNode }) {
  const size = node.entry?.size ?? 0;
  const [limit, setLimit] = useState(Math.min(size, PREVIEW_LIMIT));
  const query = useQuery(layerFileQuery(target, node.path, limit));
  if (query.isPending)
    return (
      <p className="loading" role="status">
        Reading this file…
      </p>
    );
  if (query.isError) return <ErrorPanel error={query.error} />;
  const name = node.name || 'file';
  const access = query.data.access;
  if (access.kind === 'ranged' && access.content.status === 'mismatch') return <FileAccessNote access={access} />;
  return (
    <>
      <FileAccessNote access={access} />
      <div className="preview-bar">
        {query.data.truncated ? (
          <button type="button" onClick={() => setLimit(size)} data-testid="show-all">
            Show all {exactBytes(size)}
          </button>
        ) : (
          <DownloadButton bytes={query.data.bytes} name={name} />
        )}
      </div>
      <FilePreview bytes={query.data.bytes} size={query.data.size} name={name} truncated={query.data.truncated} />
    </>
  );
}

export function FileView({ target, node, hrefFor }: { target: LayerScanTarget; node: FileNode; hrefFor: HrefFor }) {
  const entry = node.entry;
  if (!entry) return null;
  return (
    <section className="file-view" data-testid="file-view" data-path={node.path}>
      <h2>
        <code>{node.path}</code>
      </h2>
      <p className="file-meta" data-testid="file-meta">
        {modeString(entry.type, entry.mode)} {entry.uid}:{entry.gid}
        {entry.uname || entry.gname ? ` (${entry.uname || entry.uid}:${entry.gname || entry.gid})` : ''}{' '}
        <span title={exactBytes(entry.size)}>{exactBytes(entry.size)}</span> {formatMtime(entry.mtime)} UTC
      </p>
      <p>
        <Link to={hrefFor(parentPath(node.path) === '.' ? '' : parentPath(node.path), true)}>← back to the directory</Link>
      </p>
      {entry.type === 'symlink' && entry.linkTarget !== undefined && (
        <p data-testid="link-target">
          Symbolic link to <code>{entry.linkTarget}</code>:{' '}
          <Link to={hrefFor(resolveLink(node.path, entry.linkTarget), false)}>open {resolveLink(node.path, entry.linkTarget) || '/'}</Link>
        </p>
      )}
      {entry.type === 'hardlink' && entry.linkTarget !== undefined && (
        <p data-testid="link-target">
          Hard link to <Link to={hrefFor(entry.linkTarget, false)}>{entry.linkTarget}</Link>; its bytes are stored there.
        </p>
      )}
      {entry.type === 'file' && !entry.sparse && <FileBytes key={node.path} target={target} node={node} />}
      {entry.sparse && <p className="muted">A sparse file: its holes are not stored in the layer, so its bytes are not shown.</p>}
      {(entry.type === 'char-device' || entry.type === 'block-device' || entry.type === 'fifo') && (
        <p className="muted">A {entry.type.replace('-', ' ')}: it has no content in the layer.</p>
      )}
    </section>
  );
}
