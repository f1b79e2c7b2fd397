/**
 * X.509 certificates as signers ship them (cosign's certificate and chain annotations, Notation's
 * x5c / x5chain), summarised for a person: subject, issuer, validity, the identity in the SAN,
 * the key, and the Sigstore Fulcio extensions by name (sigstore/fulcio docs/oid-info.md:
 * 1.3.6.1.4.1.57264.1.1–.6 are raw strings, .8 onwards DER UTF8Strings). Parsing is
 * @peculiar/x509 (x509-loader.ts); a certificate that does not parse is a problem, not a throw.
 */
import { toArrayBuffer } from './base64';
import { digestBytes } from '../spec/digest';
import type { CheckStatus } from '../spec/verify';
import { loadX509 } from './x509-loader';

export const FULCIO_OID_PREFIX = '1.3.6.1.4.1.57264.1.';

/** Fulcio's extensions by the last arc of their OID. */
const FULCIO_NAMES: Record<number, string> = {
  1: 'OIDC issuer (v1)',
  2: 'GitHub workflow trigger',
  3: 'GitHub workflow SHA',
  4: 'GitHub workflow name',
  5: 'GitHub workflow repository',
  6: 'GitHub workflow ref',
  7: 'OtherName SAN',
  8: 'OIDC issuer',
  9: 'Build signer URI',
  10: 'Build signer digest',
  11: 'Runner environment',
  12: 'Source repository URI',
  13: 'Source repository digest',
  14: 'Source repository ref',
  15: 'Source repository identifier',
  16: 'Source repository owner URI',
  17: 'Source repository owner identifier',
  18: 'Build config URI',
  19: 'Build config digest',
  20: 'Build trigger',
  21: 'Run invocation URI',
  22: 'Source repository visibility at signing',
  23: 'Deployment environment',
};

export interface FulcioExtension {
  oid: string;
  name: string;
  value: string;
}

export interface CertificateSummary {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** Subject alternative names as `email: a@b`, `URI: https://…`. */
  identities: Array<{ type: string; value: string }>;
  /** "ECDSA P-256", "RSA 2048", "Ed25519". */
  keyAlgorithm: string;
  signatureAlgorithm: string;
  isCa: boolean;
  fulcio: FulcioExtension[];
  sha256Fingerprint: string;
  /** The SubjectPublicKeyInfo, DER: what signature checks import. */
  spki: Uint8Array;
  /** The whole certificate, DER. */
  der: Uint8Array;
}

export interface CertificateParse {
  certificates: CertificateSummary[];
  problems: string[];
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;

/** The base64 bodies of each PEM CERTIFICATE block; text outside them is ignored. */
export function pemBlocks(pem: string): string[] {
  return [...pem.matchAll(PEM_BLOCK)].map((m) => m[1]!.replace(/\s+/g, ''));
}

type Loaded = Awaited<ReturnType<typeof loadX509>>;

function describeKey(algorithm: Algorithm & { namedCurve?: string; modulusLength?: number }, spkiLength: number): string {
  if (algorithm.name === 'ECDSA' || algorithm.name === 'ECDH') return `ECDSA ${algorithm.namedCurve ?? ''}`.trim();
  if (algorithm.name.startsWith('RSA'))
    return algorithm.modulusLength ? `RSA ${algorithm.modulusLength}` : `RSA (${spkiLength}-byte key info)`;
  return algorithm.name;
}

function fulcioValue(oid: string, value: ArrayBuffer, asn1: Loaded['asn1']): string {
  const arc = Number(oid.slice(FULCIO_OID_PREFIX.length));
  const bytes = new Uint8Array(value);
  if (arc >= 1 && arc <= 6) return new TextDecoder().decode(bytes);
  const parsed = asn1.fromBER(bytes);
  const block = parsed.result as { valueBlock?: { value?: unknown } };
  if (parsed.offset !== -1 && typeof block.valueBlock?.value === 'string') return block.valueBlock.value;
  // Not the DER string the spec says: show what it is rather than hide it.
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

async function summarise(der: Uint8Array, { x509, asn1 }: Loaded): Promise<CertificateSummary> {
  const cert = new x509.X509Certificate(toArrayBuffer(der));
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const basic = cert.getExtension(x509.BasicConstraintsExtension);
  const spki = new Uint8Array(cert.publicKey.rawData);
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    serialNumber: cert.serialNumber,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    identities: san ? san.names.items.map((n) => ({ type: n.type, value: n.value })) : [],
    keyAlgorithm: describeKey(cert.publicKey.algorithm, spki.length),
    signatureAlgorithm: [cert.signatureAlgorithm.name, (cert.signatureAlgorithm.hash as Algorithm | undefined)?.name]
      .filter(Boolean)
      .join(' '),
    isCa: basic?.ca ?? false,
    fulcio: cert.extensions
      .filter((e) => e.type.startsWith(FULCIO_OID_PREFIX))
      .map((e) => ({
        oid: e.type,
        name: FULCIO_NAMES[Number(e.type.slice(FULCIO_OID_PREFIX.length))] ?? 'Fulcio extension',
        value: fulcioValue(e.type, e.value, asn1),
      })),
    sha256Fingerprint: (await digestBytes(der)).slice('sha256:'.length),
    spki,
    der,
  };
}

function base64Bytes(text: string): Uint8Array | undefined {
  try {
    const binary = atob(text);
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/** Parses DER certificates (Notation's chains, sigstore bundles' rawBytes). */
export async function readCertificatesDer(ders: Uint8Array[], what = 'certificate'): Promise<CertificateParse> {
  const loaded = await loadX509();
  const certificates: CertificateSummary[] = [];
  const problems: string[] = [];
  for (const [i, der] of ders.entries()) {
    try {
      certificates.push(await summarise(der, loaded));
    } catch (error) {
      problems.push(
        `The ${what}${ders.length > 1 ? ` #${i + 1}` : ''} does not parse as X.509: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return { certificates, problems };
}

/** Parses every CERTIFICATE block of a PEM text (cosign's certificate and chain annotations). */
export async function readCertificatesPem(pem: string, what = 'certificate'): Promise<CertificateParse> {
  const blocks = pemBlocks(pem);
  if (blocks.length === 0) return { certificates: [], problems: [`The ${what} is not PEM: it has no BEGIN CERTIFICATE block.`] };
  const ders: Uint8Array[] = [];
  const problems: string[] = [];
  for (const [i, block] of blocks.entries()) {
    const der = base64Bytes(block);
    if (der) ders.push(der);
    else problems.push(`The ${what}${blocks.length > 1 ? ` #${i + 1}` : ''} is not valid base64 inside its PEM block.`);
  }
  const parsed = await readCertificatesDer(ders, what);
  return { certificates: parsed.certificates, problems: [...problems, ...parsed.problems] };
}

export interface ChainLink {
  subject: string;
  status: CheckStatus;
  note: string;
}

/**
 * Whether each certificate is signed by the next one in the list, and whether the last signs
 * itself. This proves the list is a chain, not that it ends at a root anyone should trust.
 */
export async function checkChainLinks(chain: CertificateSummary[]): Promise<ChainLink[]> {
  const { x509 } = await loadX509();
  const parsed = chain.map((c) => new x509.X509Certificate(toArrayBuffer(c.der)));
  const links: ChainLink[] = [];
  for (const [i, cert] of parsed.entries()) {
    const issuer = parsed[i + 1];
    if (issuer) {
      const ok = await cert.verify({ publicKey: issuer.publicKey, signatureOnly: true }).catch(() => false);
      links.push({
        subject: cert.subject,
        status: ok ? 'match' : 'mismatch',
        note: ok
          ? `Signed by the next certificate (${issuer.subject}).`
          : `Not signed by the next certificate (${issuer.subject}): the chain is broken here.`,
      });
    } else {
      const selfSigned = await cert.isSelfSigned().catch(() => false);
      links.push({
        subject: cert.subject,
        status: 'unchecked',
        note: selfSigned
          ? 'Self-signed root: not compared with any trusted root, so who it belongs to is not proven.'
          : 'Its issuer is not in the chain: not checked.',
      });
    }
  }
  return links;
}
