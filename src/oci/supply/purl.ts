/**
 * Package URLs (package-url/purl-spec) as SBOMs and provenance use them: the ecosystem of a
 * package (`pkg:npm/…` → npm) and, for container images (`pkg:docker/…`, `pkg:oci/…`), the image
 * reference they name, so ociscope can link to it. Parsing is packageurl-js, the spec's
 * reference implementation, so percent-encoding and namespace rules are the spec's own.
 */
import { PackageURL } from 'packageurl-js';
import { type ImageReference, InvalidReferenceError, parseReference } from '../spec/reference';

export interface Purl {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
  qualifiers: Record<string, string>;
}

export type PurlResult = { ok: true; purl: Purl } | { ok: false; problem: string };

export function parsePurl(text: string): PurlResult {
  try {
    const p = PackageURL.fromString(text);
    return {
      ok: true,
      purl: {
        type: p.type,
        namespace: p.namespace ?? undefined,
        name: p.name,
        version: p.version ?? undefined,
        qualifiers: { ...(p.qualifiers ?? {}) } as Record<string, string>,
      },
    };
  } catch (error) {
    return {
      ok: false,
      problem: `${JSON.stringify(text)} is not a valid package URL: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/** The purl type, cheaply, for counting ecosystems over 10,000 packages without a full parse. */
export function purlType(text: string): string | undefined {
  const match = /^pkg:\/*([A-Za-z.+-][A-Za-z0-9.+-]*)\//.exec(text);
  return match ? match[1]!.toLowerCase() : undefined;
}

const DIGEST_VERSION = /^(sha256|sha512):[a-f0-9]+$/;

/**
 * The image a `pkg:docker` or `pkg:oci` purl names, pinned to `digest` when one is known (a
 * provenance material's digest set). pkg:docker puts the repository in namespace/name (BuildKit
 * adds the registry as the first part); pkg:oci names only the last path part and carries the
 * repository in `repository_url` (purl-spec PURL-TYPES.rst).
 */
export function imageReferenceOfPurl(purl: Purl, digest?: string): ImageReference | undefined {
  const base = purl.qualifiers.repository_url?.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  let repository: string;
  if (purl.type === 'docker') {
    const path = purl.namespace ? `${purl.namespace}/${purl.name}` : purl.name;
    repository = base ? `${base}/${path}` : path;
  } else if (purl.type === 'oci') {
    repository = base ?? purl.name;
  } else return undefined;
  const pinned = digest ?? (purl.version && DIGEST_VERSION.test(purl.version) ? purl.version : undefined);
  const tag = purl.type === 'oci' ? purl.qualifiers.tag : purl.version;
  try {
    return parseReference(pinned ? `${repository}@${pinned}` : tag ? `${repository}:${tag}` : repository);
  } catch (error) {
    if (error instanceof InvalidReferenceError) return undefined;
    throw error;
  }
}
