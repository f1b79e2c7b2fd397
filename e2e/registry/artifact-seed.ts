/**
 * Artifacts that refer to an image, for e2e/referrers.spec.ts: what an SBOM tool and cosign
 * leave in a registry without the Referrers API. Follows image-spec manifest.md ("Guidelines
 * for Artifact Usage": `artifactType`, the empty config, `subject`) and distribution-spec
 * "Referrers Tag Schema"; the cosign tags follow cosign's own naming (`sha256-<hex>.sig`).
 *
 * Distribution 2.8 predates OCI 1.1: it has no `/referrers/` endpoint, so the suite exercises
 * the client's fallback, and a pusher maintains the `sha256-<hex>` index itself, as the spec
 * asks of clients when the API is missing. Each document is pushed, then read back by digest
 * and compared byte for byte; whatever 2.8 refuses is recorded in `refused` with its own words
 * (as hostile-seed.ts does) rather than failing the seed, and the spec asserts nothing is.
 */
import { PushError, pushBlob, pushManifest, type PushedContent } from './push.ts';
import { SEED_TIME } from './tar-layer.ts';
import { sha256Digest } from '../../src/test-support/digest.ts';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const OCI_EMPTY = 'application/vnd.oci.empty.v1+json';
const COSIGN_SIMPLE_SIGNING = 'application/vnd.dev.cosign.simplesigning.v1+json';

/** The artifact type of the SBOM, as the issue names it. */
export const SBOM_ARTIFACT_TYPE = 'application/vnd.example.sbom.v1+json';

/** A manifest the referrers view should list, with what it should show for it. */
export interface SeededReferrer {
  repo: string;
  digest: string;
  mediaType: string;
  size: number;
  /** `artifactType`, or for manifests without one the config's media type (distribution-spec rule). */
  artifactType: string;
  annotations: Record<string, string>;
}

export interface ArtifactRefusal {
  what: string;
  status: number | undefined;
  answer: string;
}

export interface ArtifactSeed {
  /** The manifest the artifacts refer to (`single`), as a descriptor. */
  subject: { repo: string; digest: string; mediaType: string; size: number };
  /** An OCI 1.1 artifact: `artifactType`, the empty config, one JSON layer, `subject`. */
  sbom: SeededReferrer & { layerDigest: string };
  /** The referrers tag schema index listing `sbom`, under `sha256-<hex of subject>`. */
  referrersTag: { tag: string; digest: string; size: number };
  /** A cosign-style signature manifest under `sha256-<hex>.sig`; it names no `subject`. */
  cosignSignature: SeededReferrer & { tag: string };
  /** Documents distribution 2.8 would not store (expected to be none). */
  refused: ArtifactRefusal[];
}

interface Subject {
  repo: string;
  digest: string;
  mediaType: string;
  size: number;
}

const json = (value: unknown): Uint8Array<ArrayBuffer> => new Uint8Array(Buffer.from(JSON.stringify(value, null, 2)));

/** The image-spec's empty descriptor content: exactly the two bytes `{}`. */
const EMPTY_JSON = new Uint8Array(Buffer.from('{}'));

/** The referrers tag of a sha256 digest: `sha256-<hex>` (no truncation needed at 64 hex digits). */
export function referrersTagOf(digest: string): string {
  return digest.replace(':', '-');
}

class ArtifactPusher {
  readonly refused: ArtifactRefusal[] = [];

  constructor(private readonly registryUrl: string) {}

  blob(repo: string, bytes: Uint8Array<ArrayBuffer>): Promise<PushedContent> {
    return pushBlob(this.registryUrl, repo, bytes);
  }

  /**
   * Pushes a manifest and reads it back by digest: stored means served byte for byte under the
   * type it was pushed as. A refusal is recorded and answered with undefined.
   */
  async manifest(
    what: string,
    repo: string,
    reference: string,
    mediaType: string,
    bytes: Uint8Array<ArrayBuffer>,
  ): Promise<PushedContent | undefined> {
    let pushed: PushedContent;
    try {
      pushed = await pushManifest(this.registryUrl, repo, reference, mediaType, bytes);
    } catch (error) {
      if (!(error instanceof PushError) || error.kind !== 'unexpected-status') throw error;
      this.refused.push({ what, status: error.status, answer: error.message.slice(0, 300) });
      return undefined;
    }
    const back = await fetch(`${this.registryUrl}/v2/${repo}/manifests/${pushed.digest}`, { headers: { accept: mediaType } });
    const served = new Uint8Array(await back.arrayBuffer());
    if (back.status !== 200 || sha256Digest(served) !== pushed.digest || back.headers.get('content-type') !== mediaType) {
      this.refused.push({
        what: `${what} (read back)`,
        status: back.status,
        answer: `served ${sha256Digest(served)} as ${back.headers.get('content-type')}, pushed ${pushed.digest} as ${mediaType}`,
      });
      return undefined;
    }
    return pushed;
  }
}

function descriptorOf(content: PushedContent, mediaType: string) {
  return { mediaType, digest: content.digest, size: content.size };
}

export async function seedArtifacts(registryUrl: string, subject: Subject): Promise<ArtifactSeed> {
  const pusher = new ArtifactPusher(registryUrl);
  const { repo } = subject;
  const subjectDescriptor = { mediaType: subject.mediaType, digest: subject.digest, size: subject.size };

  const sbomDocument = json({
    spdxVersion: 'SPDX-2.3',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: 'ociscope/single',
    creationInfo: { created: SEED_TIME, creators: ['Tool: ociscope-e2e-seed'] },
    packages: [{ name: 'demo-app', SPDXID: 'SPDXRef-Package-demo-app', versionInfo: '1.0.0', downloadLocation: 'NOASSERTION' }],
  });
  const [emptyConfig, sbomLayer] = await Promise.all([pusher.blob(repo, EMPTY_JSON), pusher.blob(repo, sbomDocument)]);
  const sbomAnnotations = { 'org.opencontainers.image.created': SEED_TIME, 'org.example.sbom.format': 'spdx-json' };
  const sbomBytes = json({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: SBOM_ARTIFACT_TYPE,
    config: descriptorOf(emptyConfig, OCI_EMPTY),
    layers: [{ ...descriptorOf(sbomLayer, SBOM_ARTIFACT_TYPE), annotations: { 'org.opencontainers.image.title': 'sbom.spdx.json' } }],
    subject: subjectDescriptor,
    annotations: sbomAnnotations,
  });
  // An artifact has no tag of its own: it is found through its subject.
  const sbom = await pusher.manifest(
    'SBOM artifact manifest with artifactType, empty config and subject',
    repo,
    sha256Digest(sbomBytes),
    OCI_MANIFEST,
    sbomBytes,
  );

  const sbomReferrer: SeededReferrer = {
    repo,
    digest: sha256Digest(sbomBytes),
    mediaType: OCI_MANIFEST,
    size: sbomBytes.byteLength,
    artifactType: SBOM_ARTIFACT_TYPE,
    annotations: sbomAnnotations,
  };
  // The index a client without the Referrers API maintains: descriptors as the API would list them.
  const tag = referrersTagOf(subject.digest);
  const indexBytes = json({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: sbom
      ? [{ mediaType: OCI_MANIFEST, digest: sbom.digest, size: sbom.size, artifactType: SBOM_ARTIFACT_TYPE, annotations: sbomAnnotations }]
      : [],
  });
  await pusher.manifest('referrers tag schema index', repo, tag, OCI_INDEX, indexBytes);

  // cosign's simple-signing payload names the signed digest; the signature itself is a
  // placeholder, since the view lists signatures and does not check them.
  const payload = json({
    critical: {
      identity: { 'docker-reference': `${repo}` },
      image: { 'docker-manifest-digest': subject.digest },
      type: 'cosign container image signature',
    },
    optional: null,
  });
  const signatureConfig = json({ architecture: '', os: '', config: {}, rootfs: { type: 'layers', diff_ids: [sha256Digest(payload)] } });
  const [payloadBlob, configBlob] = await Promise.all([pusher.blob(repo, payload), pusher.blob(repo, signatureConfig)]);
  const signatureBytes = json({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: descriptorOf(configBlob, OCI_CONFIG),
    layers: [
      {
        ...descriptorOf(payloadBlob, COSIGN_SIMPLE_SIGNING),
        annotations: { 'dev.cosignproject.cosign/signature': 'b2Npc2NvcGUtZTJlLXBsYWNlaG9sZGVyLXNpZ25hdHVyZQ==' },
      },
    ],
  });
  const sigTag = `${tag}.sig`;
  await pusher.manifest('cosign-style signature manifest', repo, sigTag, OCI_MANIFEST, signatureBytes);

  return {
    subject: { repo, ...subjectDescriptor },
    sbom: { ...sbomReferrer, layerDigest: sbomLayer.digest },
    referrersTag: { tag, digest: sha256Digest(indexBytes), size: indexBytes.byteLength },
    cosignSignature: {
      repo,
      tag: sigTag,
      digest: sha256Digest(signatureBytes),
      mediaType: OCI_MANIFEST,
      size: signatureBytes.byteLength,
      artifactType: OCI_CONFIG,
      annotations: {},
    },
    refused: pusher.refused,
  };
}
