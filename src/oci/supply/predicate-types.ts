/**
 * The in-toto predicate types people meet in registries, with the page that defines each and
 * the view that reads it. predicateType is a URI chosen by the producer; versions without a
 * suffix and with one (`https://spdx.dev/Document/v2.3`) name the same family.
 */

export type PredicateKind = 'provenance' | 'spdx' | 'cyclonedx' | 'vulnerabilities' | 'vex' | 'verification' | 'other';

export interface PredicateInfo {
  kind: PredicateKind;
  name: string;
  specUrl?: string;
}

const KNOWN: Array<{ prefix: string; info: PredicateInfo }> = [
  {
    prefix: 'https://slsa.dev/provenance/v1',
    info: { kind: 'provenance', name: 'SLSA provenance v1', specUrl: 'https://slsa.dev/spec/v1.0/provenance' },
  },
  {
    prefix: 'https://slsa.dev/provenance/v0.2',
    info: { kind: 'provenance', name: 'SLSA provenance v0.2', specUrl: 'https://slsa.dev/spec/v0.2/provenance' },
  },
  {
    prefix: 'https://slsa.dev/provenance/v0.1',
    info: { kind: 'provenance', name: 'SLSA provenance v0.1', specUrl: 'https://slsa.dev/spec/v0.1/provenance' },
  },
  { prefix: 'https://spdx.dev/Document', info: { kind: 'spdx', name: 'SPDX SBOM', specUrl: 'https://spdx.github.io/spdx-spec/v2.3/' } },
  {
    prefix: 'https://cyclonedx.org/bom',
    info: { kind: 'cyclonedx', name: 'CycloneDX SBOM', specUrl: 'https://cyclonedx.org/specification/overview/' },
  },
  {
    prefix: 'https://slsa.dev/verification_summary/v1',
    info: { kind: 'verification', name: 'SLSA verification summary', specUrl: 'https://slsa.dev/spec/v1.0/verification_summary' },
  },
  {
    prefix: 'https://cosign.sigstore.dev/attestation/vuln/v1',
    info: {
      kind: 'vulnerabilities',
      name: 'cosign vulnerability scan',
      specUrl: 'https://github.com/sigstore/cosign/blob/main/specs/COSIGN_VULN_ATTESTATION_SPEC.md',
    },
  },
  {
    prefix: 'https://in-toto.io/attestation/vulns',
    info: {
      kind: 'vulnerabilities',
      name: 'in-toto vulnerabilities',
      specUrl: 'https://github.com/in-toto/attestation/blob/main/spec/predicates/vulns_02.md',
    },
  },
  {
    prefix: 'https://openvex.dev/ns',
    info: { kind: 'vex', name: 'OpenVEX', specUrl: 'https://github.com/openvex/spec/blob/main/OPENVEX-SPEC.md' },
  },
  {
    prefix: 'https://in-toto.io/attestation/link',
    info: { kind: 'other', name: 'in-toto link', specUrl: 'https://github.com/in-toto/attestation/blob/main/spec/predicates/link.md' },
  },
  {
    prefix: 'https://in-toto.io/attestation/test-result',
    info: {
      kind: 'other',
      name: 'in-toto test result',
      specUrl: 'https://github.com/in-toto/attestation/blob/main/spec/predicates/test-result.md',
    },
  },
  {
    prefix: 'https://in-toto.io/attestation/release',
    info: {
      kind: 'other',
      name: 'in-toto release',
      specUrl: 'https://github.com/in-toto/attestation/blob/main/spec/predicates/release.md',
    },
  },
  {
    prefix: 'https://cosign.sigstore.dev/attestation/v1',
    info: {
      kind: 'other',
      name: 'cosign custom predicate',
      specUrl: 'https://github.com/sigstore/cosign/blob/main/specs/ATTESTATION_SPEC.md',
    },
  },
];

/** What a predicateType is; unknown ones keep their URI as the name. */
export function predicateInfo(predicateType: string | undefined): PredicateInfo {
  if (!predicateType) return { kind: 'other', name: 'no predicate type' };
  const hit = KNOWN.find(
    (k) => predicateType === k.prefix || predicateType.startsWith(`${k.prefix}/`) || predicateType.startsWith(`${k.prefix}#`),
  );
  return hit ? hit.info : { kind: 'other', name: predicateType };
}
