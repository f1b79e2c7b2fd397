/**
 * A catalogue of the artifact and blob media types found in registries besides images, each
 * with a name, the page that specifies it, and what it is for (signature, attestation, SBOM,
 * chart, …). Producers set `artifactType`, the config media type, or only the layer media
 * types, so lookups accept any of them; parameters (`;version=0.3`) are ignored.
 */
import { essence } from '../spec/media-types';

export type ArtifactCategory =
  'signature' | 'attestation' | 'sbom' | 'chart' | 'wasm' | 'compose' | 'bundle' | 'policy' | 'model' | 'cache' | 'data' | 'other';

export interface ArtifactTypeInfo {
  name: string;
  category: ArtifactCategory;
  specUrl: string;
}

const COSIGN = 'https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md';
const NOTATION = 'https://github.com/notaryproject/specifications/blob/main/specs/signature-specification.md';
const HELM = 'https://helm.sh/docs/topics/registries/';
const WASM = 'https://tag-runtime.cncf.io/wgs/wasm/deliverables/wasm-oci-artifact/';
const FLUX = 'https://fluxcd.io/flux/cheatsheets/oci-artifacts/';
const OPA = 'https://www.openpolicyagent.org/docs/latest/management-bundles/#oci-registry';
const COMPOSE = 'https://docs.docker.com/compose/how-tos/oci-artifact/';
const SIF = 'https://github.com/sylabs/sif';
const CNAB = 'https://github.com/cnabio/cnab-spec/blob/main/200-CNAB-registries.md';

const CATALOGUE: Record<string, ArtifactTypeInfo> = {
  'application/vnd.dev.cosign.simplesigning.v1+json': {
    name: 'cosign signature (simple signing payload)',
    category: 'signature',
    specUrl: COSIGN,
  },
  'application/vnd.dev.cosign.artifact.sig.v1+json': { name: 'cosign signature', category: 'signature', specUrl: COSIGN },
  'application/vnd.dev.cosign.artifact.sbom.v1+json': { name: 'cosign SBOM attachment', category: 'sbom', specUrl: COSIGN },
  'application/vnd.dev.sigstore.bundle.v0.3+json': {
    name: 'Sigstore bundle',
    category: 'signature',
    specUrl: 'https://github.com/sigstore/protobuf-specs/blob/main/protos/sigstore_bundle.proto',
  },
  'application/vnd.dev.sigstore.bundle+json': {
    name: 'Sigstore bundle',
    category: 'signature',
    specUrl: 'https://github.com/sigstore/protobuf-specs/blob/main/protos/sigstore_bundle.proto',
  },
  'application/vnd.dsse.envelope.v1+json': {
    name: 'DSSE envelope (signed attestation)',
    category: 'attestation',
    specUrl: 'https://github.com/secure-systems-lab/dsse/blob/master/envelope.md',
  },
  'application/vnd.in-toto+json': {
    name: 'in-toto attestation',
    category: 'attestation',
    specUrl: 'https://github.com/in-toto/attestation/blob/main/spec/README.md',
  },
  'application/vnd.cncf.notary.signature': { name: 'Notation signature', category: 'signature', specUrl: NOTATION },
  'application/jose+json': {
    name: 'JWS signature envelope',
    category: 'signature',
    specUrl: 'https://github.com/notaryproject/specifications/blob/main/specs/signature-envelope-jws.md',
  },
  'application/cose': {
    name: 'COSE_Sign1 signature envelope',
    category: 'signature',
    specUrl: 'https://github.com/notaryproject/specifications/blob/main/specs/signature-envelope-cose.md',
  },
  'application/spdx+json': { name: 'SPDX SBOM (JSON)', category: 'sbom', specUrl: 'https://spdx.github.io/spdx-spec/v2.3/' },
  'text/spdx': { name: 'SPDX SBOM (tag-value)', category: 'sbom', specUrl: 'https://spdx.github.io/spdx-spec/v2.3/' },
  'application/vnd.cyclonedx+json': {
    name: 'CycloneDX SBOM (JSON)',
    category: 'sbom',
    specUrl: 'https://cyclonedx.org/specification/overview/',
  },
  'application/vnd.cyclonedx+xml': {
    name: 'CycloneDX SBOM (XML)',
    category: 'sbom',
    specUrl: 'https://cyclonedx.org/specification/overview/',
  },
  'application/vnd.syft+json': { name: 'Syft SBOM (JSON)', category: 'sbom', specUrl: 'https://github.com/anchore/syft' },
  'application/vnd.cncf.helm.config.v1+json': { name: 'Helm chart', category: 'chart', specUrl: HELM },
  'application/vnd.cncf.helm.chart.content.v1.tar+gzip': { name: 'Helm chart archive', category: 'chart', specUrl: HELM },
  'application/vnd.cncf.helm.chart.provenance.v1.prov': {
    name: 'Helm chart provenance (PGP)',
    category: 'signature',
    specUrl: 'https://helm.sh/docs/topics/provenance/',
  },
  'application/vnd.wasm.config.v0+json': { name: 'WebAssembly module', category: 'wasm', specUrl: WASM },
  'application/vnd.wasm.content.layer.v1+wasm': { name: 'WebAssembly module', category: 'wasm', specUrl: WASM },
  'application/vnd.module.wasm.content.layer.v1+wasm': {
    name: 'WebAssembly module (wasm-to-oci)',
    category: 'wasm',
    specUrl: 'https://github.com/engineerd/wasm-to-oci',
  },
  'application/wasm': { name: 'WebAssembly module', category: 'wasm', specUrl: WASM },
  'application/vnd.docker.compose.project': { name: 'Docker Compose project', category: 'compose', specUrl: COMPOSE },
  'application/vnd.docker.compose.file+yaml': { name: 'Docker Compose file', category: 'compose', specUrl: COMPOSE },
  'application/vnd.docker.compose.envfile': { name: 'Docker Compose env file', category: 'compose', specUrl: COMPOSE },
  'application/vnd.cnab.manifest.v1': { name: 'CNAB bundle', category: 'bundle', specUrl: CNAB },
  'application/vnd.cnab.config.v1+json': { name: 'CNAB bundle config', category: 'bundle', specUrl: CNAB },
  'application/vnd.cncf.flux.config.v1+json': { name: 'Flux artifact', category: 'bundle', specUrl: FLUX },
  'application/vnd.cncf.flux.content.v1.tar+gzip': { name: 'Flux artifact content', category: 'bundle', specUrl: FLUX },
  'application/vnd.sylabs.sif.config.v1+json': { name: 'Singularity image (SIF)', category: 'bundle', specUrl: SIF },
  'application/vnd.sylabs.sif.layer.v1.sif': { name: 'Singularity image (SIF) layer', category: 'bundle', specUrl: SIF },
  'application/vnd.cncf.openpolicyagent.config.v1+json': { name: 'OPA policy bundle', category: 'policy', specUrl: OPA },
  'application/vnd.cncf.openpolicyagent.policy.layer.v1+rego': { name: 'OPA Rego policy', category: 'policy', specUrl: OPA },
  'application/vnd.cncf.openpolicyagent.data.layer.v1+json': { name: 'OPA data', category: 'policy', specUrl: OPA },
  'application/vnd.aquasec.trivy.config.v1+json': {
    name: 'Trivy database',
    category: 'data',
    specUrl: 'https://github.com/aquasecurity/trivy-db',
  },
  'application/vnd.aquasec.trivy.db.layer.v1.tar+gzip': {
    name: 'Trivy database layer',
    category: 'data',
    specUrl: 'https://github.com/aquasecurity/trivy-db',
  },
  'application/vnd.cncf.model.config.v1+json': {
    name: 'CNCF ModelPack model',
    category: 'model',
    specUrl: 'https://github.com/modelpack/model-spec',
  },
  'application/vnd.buildkit.cacheconfig.v0': {
    name: 'BuildKit build cache',
    category: 'cache',
    specUrl: 'https://github.com/moby/buildkit#export-cache',
  },
};

/** Homebrew bottles are ordinary OCI images told apart by their annotations (docs.brew.sh/Bottles). */
const HOMEBREW: ArtifactTypeInfo = { name: 'Homebrew bottle', category: 'bundle', specUrl: 'https://docs.brew.sh/Bottles' };

export function artifactTypeInfo(mediaType: string | undefined): ArtifactTypeInfo | undefined {
  return mediaType ? CATALOGUE[essence(mediaType)] : undefined;
}

/** The first of the candidates (artifactType, config type, layer types) the catalogue knows. */
export function identifyArtifact(
  candidates: Array<string | undefined>,
  annotations?: Record<string, string>,
): ArtifactTypeInfo | undefined {
  for (const c of candidates) {
    const info = artifactTypeInfo(c);
    if (info) return info;
  }
  if (annotations && Object.keys(annotations).some((k) => k.startsWith('sh.brew.'))) return HOMEBREW;
  return undefined;
}
