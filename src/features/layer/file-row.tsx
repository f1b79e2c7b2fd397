/**
 * One line of a listing, read like `ls -l`: mode, owner, size (exact on hover), mtime, and the
 * name with `-> target` for symlinks and `link to` for hardlinks. Whiteouts read as deletions.
 */
import { Link } from 'react-router';
import { exactBytes, formatBytes } from '../../ui/format';
import type { FileNode } from '../../oci/fs/file-tree';
import { modeString } from '../../oci/fs/file-mode';

export function formatMtime(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? '?' : date.toISOString().slice(0, 16).replace('T', ' ');
}

export function FileRow({ node, href, showPath, merged }: { node: FileNode; href: string; showPath: boolean; merged: boolean }) {
  const entry = node.entry;
  const whiteout = entry?.whiteout;
  const label = showPath ? node.path : node.name + (node.isDir ? '/' : '');
  const removed = node.status === 'deleted' || node.status === 'overwritten';
  const className = `file-row${merged ? ' merged' : ''}${whiteout ? ' deleted' : ''}${removed ? ' removed' : ''}`;
  return (
    <div
      className={className}
      data-testid="file-row"
      data-path={node.path}
      data-status={node.status ?? (whiteout ? 'whiteout' : 'present')}
    >
      <span className="mode">{entry ? modeString(entry.type, entry.mode) : node.isDir ? 'd?????????' : ''}</span>
      <span className="owner" title={entry ? `${entry.uname || entry.uid}:${entry.gname || entry.gid}` : undefined}>
        {entry ? `${entry.uid}:${entry.gid}` : ''}
      </span>
      <span className="size" title={entry ? exactBytes(entry.size) : undefined}>
        {entry && !node.isDir ? formatBytes(entry.size) : ''}
      </span>
      <span className="mtime">{entry ? formatMtime(entry.mtime) : ''}</span>
      <span className="layer">{node.layerIndex !== undefined ? `L${node.layerIndex + 1}` : ''}</span>
      <span className="name">
        {whiteout ? (
          <span title="A whiteout: this layer deletes the path from the layers below">
            {whiteout.kind === 'opaque' ? `opaque: hides lower layers' ${whiteout.dir}/` : `deleted: ${whiteout.target}`}
          </span>
        ) : (
          <Link to={href}>{label}</Link>
        )}
        {entry?.type === 'symlink' && <span className="target"> -&gt; {entry.linkTarget}</span>}
        {entry?.type === 'hardlink' && <span className="target"> link to {entry.linkTarget}</span>}
        {(entry?.type === 'char-device' || entry?.type === 'block-device') && (
          <span className="target">
            {' '}
            device {entry.devMajor},{entry.devMinor}
          </span>
        )}
        {removed && (
          <span className="target">
            {' '}
            ({node.status} by L{(node.removedBy ?? 0) + 1})
          </span>
        )}
      </span>
    </div>
  );
}
