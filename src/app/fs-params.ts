/**
 * Reads a filesystem view from `/fs/REPO@DIGEST/path?m=…&i=…&mt=…&size=…` and explore.ggcr.dev's
 * other path forms with the same shape: `/layers/REPO@MANIFEST/path` (the merged filesystem),
 * `/size/REPO@LAYER` and `/sizes/REPO@MANIFEST` (files by size), `/blob/REPO@DIGEST` (a blob
 * that is not JSON). The path is read from the raw URL and decoded segment by segment, so a file
 * name holding an escaped '/' or '%' cannot change which file is meant.
 */
import { InvalidReferenceError, isDigest, parseRepository } from '../oci/spec/reference';
import type { FsContext, RepositoryName } from '../lib/view-urls';

/** Which path form the link used: its first segment. */
export type FsForm = 'fs' | 'layers' | 'size' | 'sizes' | 'blob';

export type FsView =
  | { kind: 'fs'; form: FsForm; repo: RepositoryName; digest: string; path: string; directory: boolean; context: FsContext }
  | { kind: 'invalid'; input: string; message: string };

const DIGEST_AT = /@(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})(?=\/|$)/;

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

const FORM_PREFIX = /^\/(fs|layers|size|sizes|blob)\//;

export function parseFsView(pathname: string, search: URLSearchParams): FsView {
  const form = (FORM_PREFIX.exec(pathname)?.[1] ?? 'fs') as FsForm;
  const raw = pathname.replace(FORM_PREFIX, '');
  const match = DIGEST_AT.exec(raw);
  if (!match || !isDigest(match[1]!)) {
    return { kind: 'invalid', input: raw, message: `A ${form} link needs /${form}/REPOSITORY@DIGEST/ with a sha256 or sha512 digest.` };
  }
  const repoText = decodeSegment(raw.slice(0, match.index));
  const rest = raw.slice(match.index + match[0].length);
  const segments = rest.split('/').filter(Boolean).map(decodeSegment);
  if (repoText === undefined || segments.some((s) => s === undefined)) {
    return { kind: 'invalid', input: raw, message: 'The link is not correctly escaped.' };
  }
  let repo: RepositoryName;
  try {
    repo = parseRepository(repoText);
  } catch (error) {
    if (error instanceof InvalidReferenceError) return { kind: 'invalid', input: raw, message: error.message };
    throw error;
  }
  const manifest = search.get('m');
  const index = search.get('i');
  const size = search.get('size');
  return {
    kind: 'fs',
    form,
    repo,
    digest: match[1]!,
    path: (segments as string[]).join('/'),
    directory: rest === '' || rest.endsWith('/'),
    context: {
      manifest: manifest && isDigest(manifest) ? manifest : undefined,
      index: index && /^\d{1,6}$/.test(index) ? Number(index) : undefined,
      mediaType: search.get('mt') || undefined,
      size: size && /^\d{1,15}$/.test(size) ? Number(size) : undefined,
    },
  };
}
