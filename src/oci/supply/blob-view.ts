/**
 * Which view opens a blob, decided by media type and then by content, because media types lie
 * (ORAS labels plain files as tar layers; generic JSON types say nothing). Only archives go to
 * the layer explorer: treating a CycloneDX document as a tar is what made ociscope cry
 * "tampered" over an intact SBOM. And only a manifest whose layers all are image layers has a
 * merged filesystem.
 */
import type { Descriptor } from '../spec/descriptor';
import type { ImageManifest } from '../spec/manifest';
import { DOCKER_CONFIG, OCI_CONFIG, essence, kindOf } from '../spec/media-types';
import { isObject } from '../spec/descriptor';
import type { Sniffed } from './sniff';

/** `…tar`, `…tar+gzip`, `…tar+zstd`, `….tar.gzip`: archive types of artifacts (Helm, Flux, Trivy). */
const ARCHIVE = /([.+]tar)([.+](gzip|zstd))?$/;

/** Whether a layer descriptor is an archive the layer explorer can list. */
export function isArchiveLayer(layer: Pick<Descriptor, 'mediaType'>): boolean {
  return kindOf(layer.mediaType) === 'layer' || ARCHIVE.test(essence(layer.mediaType ?? ''));
}

/**
 * Whether a manifest is a container image: an image config and nothing but image layers. Its
 * layers stack into a filesystem; an artifact's (signature, SBOM, chart) do not.
 */
export function isContainerImage(manifest: Pick<ImageManifest, 'artifactType' | 'config' | 'layers'>): boolean {
  const config = essence(manifest.config?.mediaType ?? '');
  if (manifest.artifactType || (config !== OCI_CONFIG && config !== DOCKER_CONFIG)) return false;
  // Old OCI manifests omit a layer's mediaType; an image config says what they are.
  return manifest.layers.every((l) => l.mediaType === undefined || kindOf(l.mediaType) === 'layer');
}

export type BlobView =
  | 'dsse'
  | 'statement'
  | 'spdx'
  | 'cyclonedx'
  | 'simple-signing'
  | 'jws'
  | 'cose'
  | 'helm-config'
  | 'archive'
  | 'json'
  | 'yaml'
  | 'text'
  | 'binary'
  | 'empty';

/** The view for parsed JSON by its shape: the fields each format requires. */
export function jsonView(json: unknown, mediaType?: string): BlobView {
  const mt = essence(mediaType ?? '');
  if (mt === 'application/vnd.cncf.helm.config.v1+json') return 'helm-config';
  if (!isObject(json)) return 'json';
  if (typeof json.payloadType === 'string' && 'signatures' in json) return 'dsse';
  if (typeof json._type === 'string' && json._type.startsWith('https://in-toto.io/Statement/')) return 'statement';
  if (typeof json.spdxVersion === 'string') return 'spdx';
  if (json.bomFormat === 'CycloneDX') return 'cyclonedx';
  if (isObject(json.critical) && 'image' in json.critical) return 'simple-signing';
  if (typeof json.protected === 'string' && typeof json.signature === 'string' && 'payload' in json) return 'jws';
  return 'json';
}

/** The view for a blob from its sniffed first bytes (and media type when they are ambiguous). */
export function sniffedView(sniffed: Sniffed, mediaType?: string): BlobView | 'parse-json' {
  switch (sniffed.kind) {
    case 'empty':
      return 'empty';
    case 'gzip':
    case 'zstd':
    case 'tar':
      return 'archive';
    case 'cose':
      return 'cose';
    case 'json':
      return 'parse-json';
    case 'yaml':
      return 'yaml';
    case 'text':
      return /json$/.test(essence(mediaType ?? '')) ? 'parse-json' : 'text';
    default:
      return 'binary';
  }
}
