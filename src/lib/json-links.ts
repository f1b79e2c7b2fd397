/**
 * Decides which strings in a registry document become links, so that a person can click from
 * index to manifest to config just by following the JSON. A digest links by the media type of
 * the descriptor around it; a media type links to its specification; an annotation links out
 * only when it is an http(s) URL. Everything else stays text.
 */
import { isDigest } from '../oci/spec/reference';
import { type Link, type Linker, type StringContext, numberEntry, stringEntry } from '../oci/display/json-document';
import { kindOf, specUrl } from '../oci/spec/media-types';
import { type RepositoryName, blobUrl, fsUrl, imageByDigestUrl } from './view-urls';
import { safeExternalUrl } from '../oci/display/external-url';

/** Descriptor holders whose media type may be omitted (old OCI documents, Docker configs). */
function impliedKind(path: readonly string[]): 'image' | 'blob' {
  const holder = path[path.length - 2];
  return holder === 'manifests' || holder === 'subject' ? 'image' : 'blob';
}

function digestLink(repo: RepositoryName, ctx: StringContext, from: string | undefined): Link | undefined {
  const digest = ctx.node.value;
  if (!isDigest(digest)) return undefined;
  const mediaType = stringEntry(ctx.parent, 'mediaType');
  const size = numberEntry(ctx.parent, 'size');
  const kind = kindOf(mediaType);
  const asImage = mediaType ? kind === 'index' || kind === 'manifest' || kind === 'schema1' : impliedKind(ctx.path) === 'image';
  if (asImage) return { href: imageByDigestUrl(repo, digest, { mediaType, size }), target: 'app', title: 'Open this manifest' };
  if (kind === 'layer' || (!mediaType && ctx.path[0] === 'layers')) {
    return { href: fsUrl(repo, digest, '', { manifest: from, mediaType, size }), target: 'app', title: 'Browse this layer’s files' };
  }
  return {
    href: blobUrl(repo, digest, { mediaType, size }, ctx.path[0] === 'config' || ctx.path[0] === 'layers' ? from : undefined),
    target: 'app',
    title: 'Open this blob',
  };
}

/** `from`: the digest of the document being linked, when it is a manifest (see blobUrl). */
export function createRegistryLinker(repo: RepositoryName, from?: string): Linker {
  return (ctx) => {
    const { key, path } = ctx;
    const value = ctx.node.value;
    const inAnnotations = path.length >= 2 && (path[path.length - 2] === 'annotations' || path[path.length - 2] === 'Labels');
    if (inAnnotations) {
      if (key === 'vnd.docker.reference.digest' && isDigest(value)) {
        return { href: imageByDigestUrl(repo, value), target: 'app', title: 'Open the manifest this attests' };
      }
      const href = safeExternalUrl(value);
      return href ? { href, target: 'external' } : undefined;
    }
    if (key === 'digest' || key === 'blobSum') return digestLink(repo, ctx, from);
    if (key === 'mediaType' || key === 'artifactType') {
      const href = specUrl(value);
      return href ? { href, target: 'external', title: 'Specification of this media type' } : undefined;
    }
    if (path[path.length - 1] === 'urls' && key === undefined) {
      const href = safeExternalUrl(value);
      return href ? { href, target: 'external', title: 'Foreign layer location' } : undefined;
    }
    return undefined;
  };
}
