/**
 * Supply-chain fixtures for e2e/supply.spec.ts, made with real tools: openssl makes the signing
 * identity and the ECDSA signatures (supply-pki.ts), `npm sbom` the SPDX and CycloneDX documents
 * (of a tiny package folder, offline), GNU tar and gzip the image layer and the Helm chart.
 * Shapes follow their specs: cosign's tags and annotations (specs/SIGNATURE_SPEC.md), DSSE over
 * PAE, in-toto statements, BuildKit's attestation manifests in an index (attestation-storage.md),
 * OCI 1.1 referrers through the referrers tag schema (distribution 2.8 has no Referrers API),
 * Notation's JWS envelope, Helm's OCI layout. Each good fixture has bad twins: a signature of
 * another image, a tampered payload, a certificate that does not parse, attestations about
 * another image. Keys are made per run, so these digests change every run; the state file
 * carries them to the spec.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runToCompletion } from '../support/processes.ts';
import { sha256Digest } from '../../src/test-support/digest.ts';
import { pushBlob, pushManifest } from './push.ts';
import { type SupplyPki, makeSupplyPki } from './supply-pki.ts';
import { SEED_TIME, buildLayer } from './tar-layer.ts';

const T = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  empty: 'application/vnd.oci.empty.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  simpleSigning: 'application/vnd.dev.cosign.simplesigning.v1+json',
  dsse: 'application/vnd.dsse.envelope.v1+json',
  inToto: 'application/vnd.in-toto+json',
  cyclonedx: 'application/vnd.cyclonedx+json',
  notation: 'application/vnd.cncf.notary.signature',
  jws: 'application/jose+json',
  helmConfig: 'application/vnd.cncf.helm.config.v1+json',
  helmChart: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
} as const;

type Bytes = Uint8Array<ArrayBuffer>;
interface Desc {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  artifactType?: string;
  platform?: { os: string; architecture: string };
}

export interface SupplySeed {
  repo: string;
  /** `ociscope/supply:signed`: cosign .sig and .att, a CycloneDX SBOM and a Notation signature as referrers. */
  signed: {
    ref: string;
    digest: string;
    sbomArtifact: string;
    sbomLayer: string;
    notation: string;
    notationLayer: string;
    sig: string;
    att: string;
    sbomSig: string;
  };
  /** `ociscope/supply:twin`: a .sig with three bad layers (another image, tampered payload, broken certificate). */
  twin: { ref: string; digest: string; sig: string; layers: string[] };
  /** `ociscope/supply:buildkit`: an index with a BuildKit attestation (SPDX + SLSA provenance) for linux/amd64. */
  buildkit: { ref: string; digest: string; platform: string; attestation: string; spdxLayer: string; provenanceLayer: string };
  /** `ociscope/supply:buildkit-bad`: the same, but the attestation's statements name another image. */
  buildkitBad: { ref: string; digest: string; platform: string; attestation: string; provenanceLayer: string };
  /** `ociscope/chart:0.1.0`: a Helm chart. */
  chart: { ref: string; digest: string; chartLayer: string };
  /** The CycloneDX document's package count, as npm sbom wrote it. */
  cyclonedxPackages: number;
}

const enc = (v: unknown): Bytes => new Uint8Array(Buffer.from(JSON.stringify(v)));
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');

class Pusher {
  constructor(
    private readonly url: string,
    readonly repo: string,
  ) {}
  async blob(bytes: Bytes, mediaType: string, annotations?: Record<string, string>): Promise<Desc> {
    const pushed = await pushBlob(this.url, this.repo, bytes);
    return { mediaType, digest: pushed.digest, size: pushed.size, ...(annotations && { annotations }) };
  }
  async manifest(document: object, reference?: string, repo = this.repo): Promise<Desc> {
    const bytes = enc(document);
    const mediaType = (document as { mediaType: string }).mediaType;
    await pushManifest(this.url, repo, reference ?? sha256Digest(bytes), mediaType, bytes);
    return { mediaType, digest: sha256Digest(bytes), size: bytes.byteLength };
  }
  /** An artifact or signature manifest: given config, these layers, optional subject. */
  async artifact(
    config: Desc,
    layers: Desc[],
    extra: { artifactType?: string; subject?: Desc; tag?: string; annotations?: Record<string, string> } = {},
  ): Promise<Desc> {
    const { tag, ...fields } = extra;
    return this.manifest(
      {
        schemaVersion: 2,
        mediaType: T.manifest,
        ...(fields.artifactType && { artifactType: fields.artifactType }),
        config,
        layers,
        ...(fields.subject && { subject: fields.subject }),
        ...(fields.annotations && { annotations: fields.annotations }),
      },
      tag,
    );
  }
}

const tagOf = (digest: string, suffix?: string) => `${digest.replace(':', '-')}${suffix ? `.${suffix}` : ''}`;

/** `npm sbom` of a package folder with two installed dependencies; no network is used. */
async function npmSboms(workDir: string): Promise<{ spdx: Bytes; cyclonedx: Bytes }> {
  const dir = join(workDir, 'sbom-app');
  await mkdir(join(dir, 'node_modules/left-pad'), { recursive: true });
  await mkdir(join(dir, 'node_modules/@ociscope/util'), { recursive: true });
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({
      name: 'ociscope-e2e-app',
      version: '1.0.0',
      license: 'MIT',
      dependencies: { 'left-pad': '1.3.0', '@ociscope/util': '2.1.0' },
    }),
  );
  await writeFile(
    join(dir, 'node_modules/left-pad/package.json'),
    JSON.stringify({ name: 'left-pad', version: '1.3.0', license: 'WTFPL' }),
  );
  await writeFile(
    join(dir, 'node_modules/@ociscope/util/package.json'),
    JSON.stringify({ name: '@ociscope/util', version: '2.1.0', license: 'Apache-2.0' }),
  );
  const env = { ...process.env, npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false' };
  const run = (format: string) => runToCompletion('npm', ['sbom', '--sbom-format', format, '--offline'], { cwd: dir, env });
  const [spdx, cyclonedx] = await Promise.all([run('spdx'), run('cyclonedx')]);
  return { spdx: new Uint8Array(spdx), cyclonedx: new Uint8Array(cyclonedx) };
}

function simpleSigning(repo: string, digest: string): Bytes {
  return enc({
    critical: {
      identity: { 'docker-reference': repo },
      image: { 'docker-manifest-digest': digest },
      type: 'cosign container image signature',
    },
    optional: { creator: 'ociscope e2e' },
  });
}

function rekorBundle(): string {
  const body = b64(enc({ apiVersion: '0.0.1', kind: 'hashedrekord', spec: {} }));
  return JSON.stringify({
    SignedEntryTimestamp: 'MEUCIQDe2eZQ',
    Payload: {
      body,
      integratedTime: 1704164645,
      logIndex: 424242,
      logID: 'c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d',
    },
  });
}

/** One cosign signature layer: the payload blob, with signature, certificate, chain and bundle annotations. */
async function signatureLayer(
  p: Pusher,
  pki: SupplyPki,
  payload: Bytes,
  opts: { signedBytes?: Uint8Array; certificate?: string } = {},
): Promise<Desc> {
  const signature = await pki.signDer(opts.signedBytes ?? payload);
  return p.blob(payload, T.simpleSigning, {
    'dev.cosignproject.cosign/signature': b64(signature),
    'dev.sigstore.cosign/certificate': opts.certificate ?? pki.leafPem,
    'dev.sigstore.cosign/chain': pki.caPem,
    'dev.sigstore.cosign/bundle': rekorBundle(),
  });
}

function pae(type: string, body: Uint8Array): Bytes {
  const head = Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${body.length} `);
  return new Uint8Array(Buffer.concat([head, body]));
}

function statement(subjectName: string, digest: string, predicateType: string, predicate: unknown, v1 = false): Bytes {
  return enc({
    _type: v1 ? 'https://in-toto.io/Statement/v1' : 'https://in-toto.io/Statement/v0.1',
    subject: [{ name: subjectName, digest: { sha256: digest.slice(7) } }],
    predicateType,
    predicate,
  });
}

function provenanceV02(): object {
  return {
    builder: { id: 'https://github.com/ociscope/e2e/actions/runs/1' },
    buildType: 'https://mobyproject.org/buildkit@v1',
    materials: [
      { uri: 'pkg:docker/alpine@3.19?platform=linux%2Famd64', digest: { sha256: 'c'.repeat(64) } },
      { uri: 'https://github.com/ociscope/e2e.git#refs/heads/main', digest: { sha1: '0123456789abcdef0123456789abcdef01234567' } },
    ],
    invocation: {
      configSource: { entryPoint: 'Dockerfile' },
      parameters: { frontend: 'dockerfile.v0', args: {} },
      environment: { platform: 'linux/amd64' },
    },
    metadata: {
      buildInvocationID: 'e2e-build-1',
      buildStartedOn: SEED_TIME,
      buildFinishedOn: SEED_TIME,
      reproducible: false,
      completeness: { parameters: true, environment: true, materials: false },
      'https://mobyproject.org/buildkit@v1#hermetic': false,
    },
  };
}

/** An image of one layer; `name` goes into a label so that no two fixtures share a manifest digest. */
async function image(p: Pusher, layer: Desc, diffId: string, name: string, tag?: string): Promise<Desc> {
  const config = await p.blob(
    enc({
      architecture: 'amd64',
      os: 'linux',
      config: { Labels: { 'org.opencontainers.image.title': name } },
      rootfs: { type: 'layers', diff_ids: [diffId] },
      created: SEED_TIME,
    }),
    T.config,
  );
  return p.manifest({ schemaVersion: 2, mediaType: T.manifest, config, layers: [layer] }, tag);
}

/** The referrers tag schema index of a subject, as a client without the Referrers API keeps it. */
async function referrersIndex(p: Pusher, subject: string, entries: Desc[]): Promise<void> {
  await p.manifest({ schemaVersion: 2, mediaType: T.index, manifests: entries }, tagOf(subject));
}

async function seedSigned(
  p: Pusher,
  pki: SupplyPki,
  base: { layer: Desc; diffId: string },
  cyclonedx: Bytes,
  empty: Desc,
  signatureConfig: Desc,
) {
  const signed = await image(p, base.layer, base.diffId, 'signed', 'signed');
  const subject = { mediaType: T.manifest, digest: signed.digest, size: signed.size };
  const sig = await p.artifact(signatureConfig, [await signatureLayer(p, pki, simpleSigning(p.repo, signed.digest))], {
    tag: tagOf(signed.digest, 'sig'),
  });
  const provenance = statement(
    'pkg:docker/127.0.0.1/ociscope/supply@signed',
    signed.digest,
    'https://slsa.dev/provenance/v0.2',
    provenanceV02(),
    true,
  );
  const envelope = enc({
    payloadType: T.inToto,
    payload: b64(provenance),
    signatures: [{ keyid: '', sig: b64(await pki.signDer(pae(T.inToto, provenance))) }],
  });
  const attLayer = await p.blob(envelope, T.dsse, {
    'dev.cosignproject.cosign/signature': '',
    'dev.sigstore.cosign/certificate': pki.leafPem,
    predicateType: 'https://slsa.dev/provenance/v0.2',
  });
  const att = await p.artifact(signatureConfig, [attLayer], { tag: tagOf(signed.digest, 'att') });
  const created = { 'org.opencontainers.image.created': SEED_TIME };
  const sbomLayer = await p.blob(cyclonedx, T.cyclonedx, { 'org.opencontainers.image.title': 'sbom.cdx.json' });
  const sbomArtifact = await p.artifact(empty, [sbomLayer], { artifactType: T.cyclonedx, subject, annotations: created });
  const jwsHeader = {
    alg: 'ES256',
    cty: 'application/vnd.cncf.notary.payload.v1+json',
    crit: ['io.cncf.notary.signingScheme'],
    'io.cncf.notary.signingScheme': 'notary.x509',
    'io.cncf.notary.signingTime': SEED_TIME,
  };
  const protectedText = b64url(enc(jwsHeader));
  const payloadText = b64url(enc({ targetArtifact: subject }));
  const jws = enc({
    payload: payloadText,
    protected: protectedText,
    header: { x5c: [b64(pki.leafDer), b64(pki.caDer)], 'io.cncf.notary.signingAgent': 'ociscope-e2e/1.0' },
    signature: b64url(pki.signRaw(Buffer.from(`${protectedText}.${payloadText}`))),
  });
  const notationLayer = await p.blob(jws, T.jws);
  const notation = await p.artifact(empty, [notationLayer], {
    artifactType: T.notation,
    subject,
    annotations: { 'org.opencontainers.image.created': '2024-01-03T00:00:00Z' },
  });
  await referrersIndex(p, signed.digest, [
    { ...sbomArtifact, artifactType: T.cyclonedx, annotations: created },
    { ...notation, artifactType: T.notation, annotations: { 'org.opencontainers.image.created': '2024-01-03T00:00:00Z' } },
  ]);
  // A signature of the SBOM: a referrer of a referrer, for the tree.
  const sbomSig = await p.artifact(signatureConfig, [await signatureLayer(p, pki, simpleSigning(p.repo, sbomArtifact.digest))], {
    tag: tagOf(sbomArtifact.digest, 'sig'),
  });
  return {
    ref: `${p.repo}:signed`,
    digest: signed.digest,
    sbomArtifact: sbomArtifact.digest,
    sbomLayer: sbomLayer.digest,
    notation: notation.digest,
    notationLayer: notationLayer.digest,
    sig: sig.digest,
    att: att.digest,
    sbomSig: sbomSig.digest,
  };
}

async function seedTwin(p: Pusher, pki: SupplyPki, other: { layer: Desc; diffId: string }, signedDigest: string, signatureConfig: Desc) {
  const twin = await image(p, other.layer, other.diffId, 'twin', 'twin');
  const own = simpleSigning(p.repo, twin.digest);
  const layers = await Promise.all([
    // Validly signed, but about another image.
    signatureLayer(p, pki, simpleSigning(p.repo, signedDigest)),
    // About this image, but the signature was made over other bytes: a tampered payload.
    signatureLayer(p, pki, simpleSigning(`${p.repo}/tampered`, twin.digest), { signedBytes: own }),
    // A certificate that is not one.
    signatureLayer(
      p,
      pki,
      enc({
        critical: {
          identity: { 'docker-reference': p.repo },
          image: { 'docker-manifest-digest': twin.digest },
          type: 'cosign container image signature',
        },
        optional: null,
      }),
      {
        certificate: '-----BEGIN CERTIFICATE-----\nTm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n',
      },
    ),
  ]);
  const sig = await p.artifact(signatureConfig, layers, { tag: tagOf(twin.digest, 'sig') });
  return { ref: `${p.repo}:twin`, digest: twin.digest, sig: sig.digest, layers: layers.map((l) => l.digest) };
}

/** A BuildKit image index: one platform and its attestation manifest (statements about `about`). */
async function seedBuildkit(p: Pusher, base: { layer: Desc; diffId: string }, spdx: Bytes, tag: string, aboutOverride?: string) {
  const platform = await image(p, base.layer, base.diffId, tag);
  const about = aboutOverride ?? platform.digest;
  const spdxStatement = await p.blob(
    statement('_', about, 'https://spdx.dev/Document', JSON.parse(Buffer.from(spdx).toString('utf8'))),
    T.inToto,
    { 'in-toto.io/predicate-type': 'https://spdx.dev/Document' },
  );
  const provenanceStatement = await p.blob(
    statement(`pkg:docker/127.0.0.1/${p.repo}@${tag}?platform=linux%2Famd64`, about, 'https://slsa.dev/provenance/v0.2', provenanceV02()),
    T.inToto,
    { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v0.2' },
  );
  const attConfig = await p.blob(
    enc({
      architecture: 'unknown',
      os: 'unknown',
      config: {},
      rootfs: { type: 'layers', diff_ids: [spdxStatement.digest, provenanceStatement.digest] },
    }),
    T.config,
  );
  const attestation = await p.manifest({
    schemaVersion: 2,
    mediaType: T.manifest,
    config: attConfig,
    layers: [spdxStatement, provenanceStatement],
  });
  const index = await p.manifest(
    {
      schemaVersion: 2,
      mediaType: T.index,
      manifests: [
        { ...platform, platform: { os: 'linux', architecture: 'amd64' } },
        {
          ...attestation,
          platform: { os: 'unknown', architecture: 'unknown' },
          annotations: { 'vnd.docker.reference.digest': platform.digest, 'vnd.docker.reference.type': 'attestation-manifest' },
        },
      ],
    },
    tag,
  );
  return {
    ref: `${p.repo}:${tag}`,
    digest: index.digest,
    platform: platform.digest,
    attestation: attestation.digest,
    spdxLayer: spdxStatement.digest,
    provenanceLayer: provenanceStatement.digest,
  };
}

async function seedChart(url: string, workDir: string) {
  const p = new Pusher(url, 'ociscope/chart');
  const chart = await buildLayer(workDir, 'chart', [
    {
      path: 'demo/Chart.yaml',
      content: 'apiVersion: v2\nname: demo\nversion: 0.1.0\nappVersion: "1.16.0"\ndescription: A chart for the ociscope e2e suite\n',
    },
    { path: 'demo/values.yaml', content: 'replicaCount: 2\nimage:\n  repository: nginx\n' },
    { path: 'demo/templates/deployment.yaml', content: 'apiVersion: apps/v1\nkind: Deployment\n' },
  ]);
  const config = await p.blob(
    enc({
      name: 'demo',
      version: '0.1.0',
      appVersion: '1.16.0',
      apiVersion: 'v2',
      description: 'A chart for the ociscope e2e suite',
      home: 'javascript:alert(1)',
    }),
    T.helmConfig,
  );
  const layer = await p.blob(chart.blob, T.helmChart);
  const manifest = await p.artifact(config, [layer], { tag: '0.1.0' });
  return { ref: 'ociscope/chart:0.1.0', digest: manifest.digest, chartLayer: layer.digest };
}

export async function seedSupply(registryUrl: string, registry: string, workDir: string): Promise<SupplySeed> {
  const p = new Pusher(registryUrl, 'ociscope/supply');
  const [pki, sboms, base, other] = await Promise.all([
    makeSupplyPki(workDir),
    npmSboms(workDir),
    buildLayer(workDir, 'supply-base', [{ path: 'etc/ociscope-supply', content: 'signed\n' }]),
    buildLayer(workDir, 'supply-twin', [{ path: 'etc/ociscope-supply', content: 'twin\n' }]),
  ]);
  const baseLayer = { layer: await p.blob(base.blob, T.layer), diffId: base.diffId };
  const otherLayer = { layer: await p.blob(other.blob, T.layer), diffId: other.diffId };
  const empty = await p.blob(new Uint8Array(Buffer.from('{}')), T.empty);
  // cosign's signature manifests carry an image config naming the payloads as diff_ids.
  const signatureConfig = await p.blob(enc({ architecture: '', os: '', config: {}, rootfs: { type: 'layers', diff_ids: [] } }), T.config);
  const signed = await seedSigned(p, pki, baseLayer, sboms.cyclonedx, empty, signatureConfig);
  const [twin, buildkit, buildkitBad, chart] = await Promise.all([
    seedTwin(p, pki, otherLayer, signed.digest, signatureConfig),
    seedBuildkit(p, baseLayer, sboms.spdx, 'buildkit'),
    seedBuildkit(p, otherLayer, sboms.spdx, 'buildkit-bad', signed.digest),
    seedChart(registryUrl, workDir),
  ]);
  const cyclonedxPackages =
    (JSON.parse(Buffer.from(sboms.cyclonedx).toString('utf8')) as { components?: unknown[] }).components?.length ?? 0;
  const host = (ref: string) => `${registry}/${ref}`;
  return {
    repo: p.repo,
    signed: { ...signed, ref: host(signed.ref) },
    twin: { ...twin, ref: host(twin.ref) },
    buildkit: { ...buildkit, ref: host(buildkit.ref) },
    buildkitBad: {
      ref: host(buildkitBad.ref),
      digest: buildkitBad.digest,
      platform: buildkitBad.platform,
      attestation: buildkitBad.attestation,
      provenanceLayer: buildkitBad.provenanceLayer,
    },
    chart: { ...chart, ref: host(chart.ref) },
    cyclonedxPackages,
  };
}
