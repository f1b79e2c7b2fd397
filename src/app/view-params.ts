/**
 * Reads a view from the query string, the way explore.ggcr.dev links are written. The URL is
 * the whole state of a view, so this is the only place that decides what a page shows.
 * Anything malformed becomes an 'invalid' view that names the problem; nothing is fetched for it.
 */
import { InvalidReferenceError, type ImageReference, isDigest, parseReference, parseRepository } from '../oci/spec/reference';
import type { DescriptorHints, RepositoryName } from '../lib/view-urls';

export type View =
  | { kind: 'landing' }
  | { kind: 'image'; ref: ImageReference; hints: DescriptorHints; about?: string }
  | { kind: 'blob'; repo: RepositoryName; digest: string; hints: DescriptorHints; from?: string; about?: string }
  | { kind: 'repo'; repo: RepositoryName }
  | { kind: 'catalog'; registry: string }
  | { kind: 'referrers'; repo: RepositoryName; digest: string; artifactType?: string }
  | { kind: 'compare'; a: ImageReference; b: ImageReference; platform?: string; filesystem: boolean; dir: string }
  | { kind: 'invalid'; param: string; input: string; message: string };

function hintsFrom(params: URLSearchParams): DescriptorHints {
  const mt = params.get('mt') ?? undefined;
  const sizeText = params.get('size');
  const size = sizeText !== null && /^\d{1,15}$/.test(sizeText) ? Number(sizeText) : undefined;
  return { mediaType: mt || undefined, size };
}

/** explore.ggcr.dev trims spaces and an `https://` prefix from these values; so do we. */
function linkValue(value: string): string {
  return value.trim().replace(/^https:\/\//i, '');
}

/**
 * `?repo=localhost:5000`, `?repo=gcr.io/`: a registry alone, whose catalog is listed. A value
 * without '/' is a registry when it looks like a host (a '.' or ':' or `localhost`, the rule the
 * reference grammar uses for a first component); `ubuntu` stays Docker Hub's library/ubuntu.
 */
function registryAlone(value: string): string | undefined {
  const host = value.replace(/\/$/, '');
  if (host.includes('/') || !(value.endsWith('/') || host.includes('.') || host.includes(':') || host === 'localhost')) return undefined;
  try {
    // Host-like, so the parser takes it as the registry (normalised: index.docker.io → docker.io).
    return parseRepository(`${host}/name`).registry;
  } catch {
    return undefined;
  }
}

function invalid(param: string, input: string, error: unknown): View {
  if (error instanceof InvalidReferenceError) return { kind: 'invalid', param, input, message: error.message };
  throw error;
}

/** `REPOSITORY@DIGEST`, the form of `?blob=` and `?referrers=`, read into the view `build` makes. */
function atDigest(param: 'blob' | 'referrers', input: string, build: (repo: RepositoryName, digest: string) => View): View {
  const at = input.lastIndexOf('@');
  const digest = at < 0 ? '' : input.slice(at + 1);
  if (at < 0 || !isDigest(digest)) {
    return { kind: 'invalid', param, input, message: `A ${param} link needs REPOSITORY@DIGEST with a sha256 or sha512 digest.` };
  }
  try {
    return build(parseRepository(input.slice(0, at)), digest);
  } catch (error) {
    return invalid(param, input, error);
  }
}

/** `?compare=REF_A&with=REF_B[&platform=os/arch[/variant]][&fs=1][&dir=path]`. */
function compareView(params: URLSearchParams, a: string): View {
  const b = params.get('with');
  if (b === null)
    return { kind: 'invalid', param: 'compare', input: a, message: 'A comparison link needs both ?compare=REF_A and &with=REF_B.' };
  const refs: ImageReference[] = [];
  for (const [param, input] of [
    ['compare', a],
    ['with', b],
  ] as const) {
    try {
      refs.push(parseReference(input));
    } catch (error) {
      return invalid(param, input, error);
    }
  }
  const dir = (params.get('dir') ?? '').replace(/^\/+|\/+$/g, '');
  return {
    kind: 'compare',
    a: refs[0]!,
    b: refs[1]!,
    platform: params.get('platform') || undefined,
    filesystem: params.get('fs') === '1',
    dir,
  };
}

/** `for=DIGEST`: the image a signature or attestation was opened from, for its cross-check. */
function aboutFrom(params: URLSearchParams): string | undefined {
  const about = params.get('for');
  return about && isDigest(about) ? about : undefined;
}

export function parseView(params: URLSearchParams): View {
  const compare = params.get('compare');
  if (compare !== null) return compareView(params, compare);
  const imageParam = params.get('image');
  const image = imageParam === null ? null : linkValue(imageParam);
  if (image !== null) {
    try {
      return { kind: 'image', ref: parseReference(image), hints: hintsFrom(params), about: aboutFrom(params) };
    } catch (error) {
      return invalid('image', image, error);
    }
  }
  const blobParam = params.get('blob');
  const blob = blobParam === null ? null : linkValue(blobParam);
  if (blob !== null) {
    const from = params.get('from');
    return atDigest('blob', blob, (repo, digest) => ({
      kind: 'blob',
      repo,
      digest,
      hints: hintsFrom(params),
      from: from && isDigest(from) ? from : undefined,
      about: aboutFrom(params),
    }));
  }
  const referrers = params.get('referrers');
  if (referrers !== null) {
    const artifactType = params.get('artifactType') || undefined;
    return atDigest('referrers', referrers, (repo, digest) => ({ kind: 'referrers', repo, digest, artifactType }));
  }
  const repoParam = params.get('repo');
  const repo = repoParam === null ? null : linkValue(repoParam);
  if (repo !== null) {
    const registry = registryAlone(repo);
    if (registry !== undefined) return { kind: 'catalog', registry };
    try {
      return { kind: 'repo', repo: parseRepository(repo) };
    } catch (error) {
      return invalid('repo', repo, error);
    }
  }
  return { kind: 'landing' };
}
