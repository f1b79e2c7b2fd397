/**
 * Media types of the OCI image spec and the Docker image formats, and what each one means to
 * ociscope: which view opens it, how it is fetched, and where its specification lives.
 *
 * Registries decide what a document is by its media type, not by its shape, so everything that
 * links or renders a descriptor starts here (image-spec media-types.md; Docker manifest v2.2).
 */

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
/** OCI image manifest (image-spec manifest.md). */
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
/** OCI image config (image-spec config.md). */
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
/** The empty descriptor's type (image-spec manifest.md "Guidance for an Empty Descriptor"). */
export const OCI_EMPTY = 'application/vnd.oci.empty.v1+json';
/** OCI layer, uncompressed tar. */
export const OCI_LAYER_TAR = 'application/vnd.oci.image.layer.v1.tar';
/** OCI layer, gzip-compressed tar. */
export const OCI_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';
/** OCI layer, zstd-compressed tar. */
export const OCI_LAYER_ZSTD = 'application/vnd.oci.image.layer.v1.tar+zstd';
/** OCI non-distributable layer (deprecated), uncompressed. */
export const OCI_LAYER_NONDIST_TAR = 'application/vnd.oci.image.layer.nondistributable.v1.tar';
/** OCI non-distributable layer (deprecated), gzip. */
export const OCI_LAYER_NONDIST_GZIP = 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip';
/** OCI non-distributable layer (deprecated), zstd. */
export const OCI_LAYER_NONDIST_ZSTD = 'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd';
/** Docker manifest list (image manifest v2, schema 2). */
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
/** Docker image manifest v2, schema 2. */
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
/** Docker image manifest v2, schema 1, unsigned. */
export const DOCKER_SCHEMA1 = 'application/vnd.docker.distribution.manifest.v1+json';
/** Docker image manifest v2, schema 1, signed (JWS). */
export const DOCKER_SCHEMA1_SIGNED = 'application/vnd.docker.distribution.manifest.v1+prettyjws';
/** Docker image config. */
export const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';
/** Docker layer (despite the name, sometimes a plain tar). */
export const DOCKER_LAYER = 'application/vnd.docker.image.rootfs.diff.tar.gzip';
/** Docker foreign layer, fetched from its `urls`. */
export const DOCKER_FOREIGN_LAYER = 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip';
/** An in-toto attestation layer (BuildKit provenance and SBOMs). */
export const IN_TOTO = 'application/vnd.in-toto+json';

/**
 * Sent on every manifest request. Without the newer types a registry may down-convert to
 * schema1 or refuse; listing all of them lets the registry answer with what it stores.
 */
export const MANIFEST_ACCEPT = [OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST, DOCKER_SCHEMA1_SIGNED, DOCKER_SCHEMA1].join(
  ', ',
);

/** What a descriptor points at, as far as navigation is concerned. */
export type DocumentKind = 'index' | 'manifest' | 'schema1' | 'config' | 'layer' | 'json' | 'other';

const layerTypes = new Set([
  OCI_LAYER_TAR,
  OCI_LAYER_GZIP,
  OCI_LAYER_ZSTD,
  OCI_LAYER_NONDIST_TAR,
  OCI_LAYER_NONDIST_GZIP,
  OCI_LAYER_NONDIST_ZSTD,
  DOCKER_LAYER,
  DOCKER_FOREIGN_LAYER,
  'application/vnd.docker.image.rootfs.diff.tar',
]);

/** Strips parameters (`; charset=utf-8`) and case, which HTTP allows but media types ignore. */
export function essence(mediaType: string): string {
  return mediaType.split(';')[0]!.trim().toLowerCase();
}

/** What a media type is, for choosing the page that shows it. */
export function kindOf(mediaType: string | undefined): DocumentKind {
  if (!mediaType) return 'other';
  const mt = essence(mediaType);
  if (mt === OCI_INDEX || mt === DOCKER_MANIFEST_LIST) return 'index';
  if (mt === OCI_MANIFEST || mt === DOCKER_MANIFEST) return 'manifest';
  if (mt === DOCKER_SCHEMA1 || mt === DOCKER_SCHEMA1_SIGNED) return 'schema1';
  if (mt === OCI_CONFIG || mt === DOCKER_CONFIG) return 'config';
  if (layerTypes.has(mt)) return 'layer';
  if (mt.endsWith('+json') || mt === 'application/json') return 'json';
  return 'other';
}

/** True for the types a registry serves from the manifests endpoint. */
export function isManifestType(mediaType: string | undefined): boolean {
  const kind = kindOf(mediaType);
  return kind === 'index' || kind === 'manifest' || kind === 'schema1';
}

const OCI_SPEC = 'https://github.com/opencontainers/image-spec/blob/main/';
const DOCKER_V2_2 = 'https://distribution.github.io/distribution/spec/manifest-v2-2/';

const specPages: Record<string, string> = {
  [OCI_INDEX]: `${OCI_SPEC}image-index.md`,
  [OCI_MANIFEST]: `${OCI_SPEC}manifest.md`,
  [OCI_CONFIG]: `${OCI_SPEC}config.md`,
  [OCI_EMPTY]: `${OCI_SPEC}manifest.md#guidance-for-an-empty-descriptor`,
  [DOCKER_MANIFEST_LIST]: `${DOCKER_V2_2}#manifest-list`,
  [DOCKER_MANIFEST]: `${DOCKER_V2_2}#image-manifest`,
  [DOCKER_CONFIG]: 'https://github.com/moby/docker-image-spec/blob/main/spec.md',
  [DOCKER_SCHEMA1]: 'https://distribution.github.io/distribution/spec/deprecated-schema-v1/',
  [DOCKER_SCHEMA1_SIGNED]: 'https://distribution.github.io/distribution/spec/deprecated-schema-v1/',
  [IN_TOTO]: 'https://github.com/in-toto/attestation/blob/main/spec/README.md',
};

/** The page that defines a media type, or undefined when we know of none. */
export function specUrl(mediaType: string): string | undefined {
  const mt = essence(mediaType);
  if (specPages[mt]) return specPages[mt];
  if (layerTypes.has(mt))
    return mt.startsWith('application/vnd.docker') ? `${DOCKER_V2_2}#image-manifest-field-descriptions` : `${OCI_SPEC}layer.md`;
  return undefined;
}

/** A short human label: "OCI index", "Docker manifest list", "layer (tar+gzip)". */
export function describeMediaType(mediaType: string | undefined): string {
  if (!mediaType) return 'no media type';
  const mt = essence(mediaType);
  const names: Record<string, string> = {
    [OCI_INDEX]: 'OCI image index',
    [OCI_MANIFEST]: 'OCI image manifest',
    [OCI_CONFIG]: 'OCI image config',
    [OCI_EMPTY]: 'OCI empty descriptor',
    [DOCKER_MANIFEST_LIST]: 'Docker manifest list',
    [DOCKER_MANIFEST]: 'Docker image manifest v2',
    [DOCKER_SCHEMA1]: 'Docker schema 1 manifest',
    [DOCKER_SCHEMA1_SIGNED]: 'Docker schema 1 manifest (signed)',
    [DOCKER_CONFIG]: 'Docker image config',
    [IN_TOTO]: 'in-toto attestation',
  };
  if (names[mt]) return names[mt];
  if (layerTypes.has(mt)) {
    const compression = mt.endsWith('zstd') ? 'tar+zstd' : mt.endsWith('gzip') ? 'tar+gzip' : 'tar';
    return `${mt.includes('foreign') || mt.includes('nondistributable') ? 'foreign layer' : 'layer'} (${compression})`;
  }
  return mt;
}
