/**
 * The one image in the htpasswd-protected registry: a minimal OCI image (config + one empty-tar
 * layer) pushed with Basic credentials, which only the app server holds
 * (OCISCOPE_REGISTRY_AUTH_FILE) — the browser never sees them.
 */
import { gzipSync } from 'node:zlib';
import { pushBlob, pushManifest } from './push.ts';
import { sha256Digest } from '../../src/test-support/digest.ts';

export interface PrivateImage {
  repo: string;
  tag: string;
  digest: string;
}

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

export async function seedPrivateImage(registryUrl: string, authorization: string): Promise<PrivateImage> {
  const repo = 'private/app';
  const tag = 'v1';
  const headers = { authorization };
  const tar = new Uint8Array(1024); // an empty tar archive: two zero blocks
  const layer = new Uint8Array(gzipSync(tar));
  const config = new TextEncoder().encode(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: {},
      rootfs: { type: 'layers', diff_ids: [sha256Digest(tar)] },
    }),
  );
  const layerBlob = await pushBlob(registryUrl, repo, layer, headers);
  const configBlob = await pushBlob(registryUrl, repo, config, headers);
  const manifest = new TextEncoder().encode(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...configBlob },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layerBlob }],
    }),
  );
  const pushed = await pushManifest(registryUrl, repo, tag, OCI_MANIFEST, manifest, headers);
  return { repo, tag, digest: pushed.digest };
}
