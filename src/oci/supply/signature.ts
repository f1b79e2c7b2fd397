/**
 * Signature checks with the browser's WebCrypto: ECDSA (P-256/384/521), RSA (PKCS#1 v1.5 and
 * PSS) and Ed25519, over exactly the bytes the format signs (a cosign payload blob, a DSSE PAE,
 * a JWS signing input, a COSE Sig_structure). The result says which key and algorithm were
 * used, and the caller says what was not checked (chains, logs): a valid signature proves only
 * that the holder of this key signed these bytes.
 */
import type { CheckStatus } from '../spec/verify';
import { toArrayBuffer } from './base64';
import { loadX509 } from './x509-loader';

export interface PublicKeyMaterial {
  /** SubjectPublicKeyInfo, DER. */
  spki: Uint8Array;
  /** Where the key came from, said in notes: "the certificate's key", "the key you pasted". */
  source: string;
}

/** How the signature bytes are laid out for ECDSA: DER (cosign, X.509) or r‖s (JWS, COSE). */
export type EcdsaEncoding = 'der' | 'raw';

export interface SignatureRequest {
  key: PublicKeyMaterial;
  signature: Uint8Array;
  /** The exact signed bytes. */
  data: Uint8Array;
  /** What the data is, in the note: "the payload", "the DSSE PAE of the payload". */
  dataName: string;
  ecdsaEncoding: EcdsaEncoding;
  /** A JOSE/COSE algorithm the envelope declares (ES256, PS384, …); checked against the key. */
  declaredAlgorithm?: string;
}

export interface SignatureCheck {
  status: CheckStatus;
  /** "ECDSA P-256 with SHA-256". */
  algorithm?: string;
  note: string;
}

type KeyAlgorithmInfo = Algorithm & { namedCurve?: string };

const CURVE_HASH: Record<string, string> = { 'P-256': 'SHA-256', 'P-384': 'SHA-384', 'P-521': 'SHA-512' };
const JOSE: Record<string, { family: 'ECDSA' | 'RSA-PSS' | 'RSASSA-PKCS1-v1_5' | 'Ed25519'; hash?: string; curve?: string }> = {
  ES256: { family: 'ECDSA', hash: 'SHA-256', curve: 'P-256' },
  ES384: { family: 'ECDSA', hash: 'SHA-384', curve: 'P-384' },
  ES512: { family: 'ECDSA', hash: 'SHA-512', curve: 'P-521' },
  PS256: { family: 'RSA-PSS', hash: 'SHA-256' },
  PS384: { family: 'RSA-PSS', hash: 'SHA-384' },
  PS512: { family: 'RSA-PSS', hash: 'SHA-512' },
  RS256: { family: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  RS384: { family: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' },
  RS512: { family: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' },
  EdDSA: { family: 'Ed25519' },
};

const HASH_BYTES: Record<string, number> = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };

async function keyAlgorithm(spki: Uint8Array): Promise<KeyAlgorithmInfo> {
  const { x509 } = await loadX509();
  return new x509.PublicKey(toArrayBuffer(spki)).algorithm as KeyAlgorithmInfo;
}

function unchecked(note: string): SignatureCheck {
  return { status: 'unchecked', note };
}

/** Verifies one signature; a key or encoding WebCrypto cannot use is 'unchecked' with the reason. */
export async function verifySignature(request: SignatureRequest): Promise<SignatureCheck> {
  const { key, signature, data, dataName } = request;
  let info: KeyAlgorithmInfo;
  try {
    info = await keyAlgorithm(key.spki);
  } catch (error) {
    return unchecked(`${key.source} is not a public key ociscope can read (${error instanceof Error ? error.message : String(error)}).`);
  }
  const declared = request.declaredAlgorithm ? JOSE[request.declaredAlgorithm] : undefined;
  if (request.declaredAlgorithm && !declared)
    return unchecked(`The envelope's algorithm ${request.declaredAlgorithm} is not one ociscope checks.`);
  const isEc = info.name === 'ECDSA' || info.name === 'ECDH';
  const isRsa = info.name.startsWith('RSA');
  const family = isEc ? 'ECDSA' : isRsa ? (declared?.family ?? 'RSASSA-PKCS1-v1_5') : info.name;
  if (declared && declared.family !== family && !(isRsa && declared.family.startsWith('RSA'))) {
    return {
      status: 'mismatch',
      note: `The envelope says ${request.declaredAlgorithm} but ${key.source} is ${info.name}: an algorithm substitution, refused.`,
    };
  }
  if (declared?.curve && info.namedCurve !== declared.curve) {
    return { status: 'mismatch', note: `The envelope says ${request.declaredAlgorithm} but ${key.source} is on ${info.namedCurve}.` };
  }
  const hash = declared?.hash ?? (isEc ? CURVE_HASH[info.namedCurve ?? ''] : isRsa ? 'SHA-256' : undefined);
  const algorithm = isEc ? `ECDSA ${info.namedCurve} with ${hash}` : isRsa ? `${family} with ${hash}` : family;
  let cryptoKey: CryptoKey;
  try {
    const importParams = isEc ? { name: 'ECDSA', namedCurve: info.namedCurve! } : isRsa ? { name: family, hash: hash! } : { name: family };
    cryptoKey = await crypto.subtle.importKey('spki', toArrayBuffer(key.spki), importParams, false, ['verify']);
  } catch (error) {
    return unchecked(
      `This browser cannot use ${key.source} (${algorithm}) for verification: ${error instanceof Error ? error.message : String(error)}.`,
    );
  }
  let sig = signature;
  if (isEc && request.ecdsaEncoding === 'der') {
    const { x509 } = await loadX509();
    let raw: ArrayBuffer | null;
    try {
      raw = new x509.AsnEcSignatureFormatter().toWebSignature(
        { name: 'ECDSA', namedCurve: info.namedCurve } as Algorithm,
        toArrayBuffer(signature),
      );
    } catch {
      // The ASN.1 reader throws on bytes that are not DER at all; that is the same verdict as null.
      raw = null;
    }
    if (!raw)
      return {
        status: 'mismatch',
        algorithm,
        note: `The signature is not a DER-encoded ECDSA signature, so it cannot be valid for ${key.source}.`,
      };
    sig = new Uint8Array(raw);
  }
  const verifyParams = isEc
    ? { name: 'ECDSA', hash: hash! }
    : family === 'RSA-PSS'
      ? { name: 'RSA-PSS', saltLength: HASH_BYTES[hash!]! }
      : { name: family };
  const ok = await crypto.subtle.verify(verifyParams, cryptoKey, toArrayBuffer(sig), toArrayBuffer(data)).catch(() => false);
  return ok
    ? { status: 'match', algorithm, note: `The signature is valid for ${key.source} (${algorithm}) over ${dataName}.` }
    : {
        status: 'mismatch',
        algorithm,
        note: `The signature does not verify with ${key.source} (${algorithm}) over ${dataName}: the signed bytes were changed, or another key signed them.`,
      };
}

/** A pasted PEM: a PUBLIC KEY block, or a CERTIFICATE whose key is used. */
export async function publicKeyFromPem(pem: string): Promise<{ ok: true; spki: Uint8Array } | { ok: false; problem: string }> {
  const { x509 } = await loadX509();
  try {
    if (pem.includes('BEGIN CERTIFICATE'))
      return { ok: true, spki: new Uint8Array(new x509.X509Certificate(pem.trim()).publicKey.rawData) };
    if (!pem.includes('BEGIN PUBLIC KEY'))
      return { ok: false, problem: 'Paste a PEM block that begins with -----BEGIN PUBLIC KEY----- (or a certificate).' };
    return { ok: true, spki: new Uint8Array(new x509.PublicKey(pem.trim()).rawData) };
  } catch (error) {
    return { ok: false, problem: `That PEM does not parse as a public key: ${error instanceof Error ? error.message : String(error)}` };
  }
}
