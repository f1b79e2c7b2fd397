/**
 * The URLs of ociscope's views. They follow explore.ggcr.dev's query forms (`?image=`, `?blob=`,
 * `?repo=`, `?referrers=`; ours: `?compare=`) so links made for that tool work here once the host is changed, and every view a
 * person can reach has one, so it can be reloaded, bookmarked and pasted into a chat.
 */
import { type ImageReference, formatReference, formatRepository } from '../oci/spec/reference';

export interface RepositoryName {
  registry: string;
  repository: string;
}

/** Keeps `/`, `:` and `@` readable in query values; everything else is escaped ('+' included). */
function encodeValue(value: string): string {
  return encodeURIComponent(value).replace(/%2F/g, '/').replace(/%3A/g, ':').replace(/%40/g, '@');
}

function query(params: Array<[string, string | number | undefined]>): string {
  return `/?${params
    .filter((p): p is [string, string | number] => p[1] !== undefined && p[1] !== '' && !Number.isNaN(p[1]))
    .map(([k, v]) => `${k}=${encodeValue(String(v))}`)
    .join('&')}`;
}

/** What a link knows about its target from the descriptor that pointed at it. */
export interface DescriptorHints {
  mediaType?: string;
  size?: number;
}

export function imageUrl(ref: ImageReference, hints: DescriptorHints = {}): string {
  return query([
    ['image', formatReference(ref)],
    ['mt', hints.mediaType],
    ['size', hints.size],
  ]);
}

export function imageByDigestUrl(repo: RepositoryName, digest: string, hints: DescriptorHints = {}): string {
  return imageUrl({ registry: repo.registry, repository: repo.repository, digest }, hints);
}

/**
 * `from` names the manifest the blob was reached from: a config page uses it to join history
 * to the manifest's layers, and it survives reload because it is in the link.
 */
export function blobUrl(repo: RepositoryName, digest: string, hints: DescriptorHints = {}, from?: string): string {
  return query([
    ['blob', `${formatRepository(repo)}@${digest}`],
    ['mt', hints.mediaType],
    ['size', hints.size],
    ['from', from],
  ]);
}

/**
 * Adds `for=DIGEST` to a view link: the image a signature or attestation is opened from, so its
 * page can cross-check that the artifact is about that image.
 */
export function withAbout(url: string, about: string | undefined): string {
  return about ? `${url}${url.includes('?') ? '&' : '?'}for=${encodeURIComponent(about).replace(/%3A/g, ':')}` : url;
}

/** `/?referrers=REPO@DIGEST`: what refers to a manifest; `artifactType` narrows the list. */
export function referrersUrl(repo: RepositoryName, digest: string, artifactType?: string): string {
  return query([
    ['referrers', `${formatRepository(repo)}@${digest}`],
    ['artifactType', artifactType],
  ]);
}

/** What narrows a comparison: the platform of two indexes, the filesystem diff started, a directory. */
export interface CompareLinkOptions {
  platform?: string;
  filesystem?: boolean;
  dir?: string;
}

/**
 * `/?compare=REF_A&with=REF_B`: two images compared; `platform=`, `fs=1` and `dir=` keep what a
 * person narrowed it to, so a shared link lands on the same view.
 */
export function compareUrl(a: ImageReference | string, b: ImageReference | string, options: CompareLinkOptions = {}): string {
  return query([
    ['compare', typeof a === 'string' ? a : formatReference(a)],
    ['with', typeof b === 'string' ? b : formatReference(b)],
    ['platform', options.platform],
    ['fs', options.filesystem ? '1' : undefined],
    ['dir', options.dir && options.dir !== '.' ? options.dir : undefined],
  ]);
}

export function repoUrl(repo: RepositoryName): string {
  return query([['repo', formatRepository(repo)]]);
}

/** Where a layer or whole-image listing came from, so verification can find diff_ids[i]. */
export interface FsContext {
  /** Digest of the manifest that lists the layer. */
  manifest?: string;
  /** The layer's position in that manifest (layers can repeat, so the digest alone is ambiguous). */
  index?: number;
  mediaType?: string;
  size?: number;
}

/** Path segments are escaped one by one: file names may hold '?', '#', '%' or spaces. */
function encodePath(path: string): string {
  return path
    .split('/')
    .filter(Boolean)
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

/**
 * `/fs/REPO@DIGEST/path` — explore.ggcr.dev's form — for a layer's files or, when DIGEST is a
 * manifest, the merged filesystem of the whole image. Directories end in '/'.
 */
export function fsUrl(repo: RepositoryName, digest: string, path = '', context: FsContext = {}, directory = true): string {
  const encoded = encodePath(path);
  const tail = encoded ? `${encoded}${directory ? '/' : ''}` : '';
  return `/fs/${formatRepository(repo)}@${digest}/${tail}${contextSearch(context)}`;
}

/** A path view's query: the context (see FsContext), then any extra parameters; '' when empty. */
function contextSearch(context: FsContext, extra: Array<[string, string | undefined]> = []): string {
  const params: Array<[string, string | number | undefined]> = [
    ['m', context.manifest],
    ['i', context.index],
    ['mt', context.mediaType],
    ['size', context.size],
    ...extra,
  ];
  const search = params
    .filter((p): p is [string, string | number] => p[1] !== undefined)
    .map(([k, v]) => `${k}=${encodeValue(String(v))}`)
    .join('&');
  return search ? `?${search}` : '';
}

/**
 * `/sizes/REPO@MANIFEST` (an image) and `/size/REPO@LAYER` (one layer) — explore.ggcr.dev's
 * forms — where the bytes go; `dir=` is the directory the treemap is zoomed into.
 */
export function sizesUrl(
  repo: RepositoryName,
  digest: string,
  options: { layer?: boolean; context?: FsContext; dir?: string } = {},
): string {
  const dir = options.dir && options.dir !== '.' ? options.dir : undefined;
  return `/${options.layer ? 'size' : 'sizes'}/${formatRepository(repo)}@${digest}${contextSearch(options.context ?? {}, [['dir', dir]])}`;
}
