import { parentPath } from '../oci/layer/tar-entry';
/** Paths inside an image filesystem, resolved the way the kernel would, never above the root. */

/** Where a relative symlink points, resolved against the link's directory; absolute ones from the root. */
export function resolveLink(linkPath: string, target: string): string {
  const base = target.startsWith('/') ? [] : parentPath(linkPath) === '.' ? [] : parentPath(linkPath).split('/');
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') base.pop();
    else base.push(part);
  }
  return base.join('/');
}
