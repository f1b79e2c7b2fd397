/**
 * Notation (Notary Project) signatures: the JWS envelope in flattened JSON serialisation
 * (notaryproject/specifications specs/signature-envelope-jws.md) and the COSE_Sign1 envelope
 * (specs/signature-envelope-cose.md, read by notation-cose.ts). Both sign a payload naming the
 * target artifact's descriptor, and carry the signing certificate chain unprotected (x5c /
 * x5chain 33). This module holds the envelope-independent view and the JWS reader.
 */
import { isObject, readDescriptor, stringField, type Descriptor, type JsonObject } from '../spec/descriptor';
import { decodeBase64, decodeJson } from './base64';
import { type CrossCheck, type Target, compareDigests } from './cross-check';

export const NOTATION_ARTIFACT_TYPE = 'application/vnd.cncf.notary.signature';
export const JWS_MEDIA_TYPE = 'application/jose+json';
export const COSE_MEDIA_TYPE = 'application/cose';
export const NOTATION_PAYLOAD_TYPE = 'application/vnd.cncf.notary.payload.v1+json';

export interface NotationSignature {
  envelope: 'JWS' | 'COSE';
  /** The protected header as decoded (JSON for JWS; CBOR map rendered with string keys for COSE). */
  protectedHeader: Record<string, unknown>;
  /** JOSE name of the algorithm (ES256, PS384, …), mapped from COSE's integer for COSE. */
  algorithm?: string;
  contentType?: string;
  signingScheme?: string;
  signingTime?: string;
  authenticSigningTime?: string;
  expiry?: string;
  critical: string[];
  signingAgent?: string;
  /** DER certificates, leaf first. */
  certificateChain: Uint8Array[];
  targetArtifact?: Descriptor;
  targetAnnotations?: Record<string, string>;
  signature?: Uint8Array;
  /** The exact bytes the signature covers: JWS signing input or COSE Sig_structure. */
  signedBytes?: Uint8Array;
  problems: string[];
}

/** Reads the signed payload's `targetArtifact` descriptor. */
export function readNotationPayload(
  payload: Uint8Array,
  problems: string[],
): Pick<NotationSignature, 'targetArtifact' | 'targetAnnotations'> {
  const parsed = decodeJson(payload, 'The signed payload');
  if (!parsed.ok) {
    problems.push(parsed.problem);
    return {};
  }
  if (!isObject(parsed.json) || parsed.json.targetArtifact === undefined) {
    problems.push('The signed payload has no targetArtifact: it does not say what it signs.');
    return {};
  }
  const descriptor = readDescriptor(parsed.json.targetArtifact, 'targetArtifact', problems);
  return { targetArtifact: descriptor, targetAnnotations: descriptor?.annotations };
}

/** Whether the signature signs the manifest we came from. */
export function checkNotationTarget(signature: NotationSignature, target: Target | undefined): CrossCheck {
  const digest = signature.targetArtifact?.digest;
  return compareDigests('signed targetArtifact digest', digest ? [digest] : [], target);
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function headerFields(
  header: JsonObject,
): Pick<NotationSignature, 'algorithm' | 'contentType' | 'signingScheme' | 'signingTime' | 'authenticSigningTime' | 'expiry' | 'critical'> {
  return {
    algorithm: stringField(header, 'alg'),
    contentType: stringField(header, 'cty'),
    signingScheme: stringField(header, 'io.cncf.notary.signingScheme'),
    signingTime: stringField(header, 'io.cncf.notary.signingTime'),
    authenticSigningTime: stringField(header, 'io.cncf.notary.authenticSigningTime'),
    expiry: stringField(header, 'io.cncf.notary.expiry'),
    critical: stringList(header.crit),
  };
}

/** Spec rules a reader can check without keys: required headers, critical list, content type. */
export function headerProblems(
  s: Pick<NotationSignature, 'algorithm' | 'contentType' | 'signingScheme' | 'signingTime' | 'authenticSigningTime' | 'critical'>,
): string[] {
  const problems: string[] = [];
  if (!s.algorithm) problems.push('The protected header has no alg.');
  if (s.contentType !== NOTATION_PAYLOAD_TYPE)
    problems.push(`The protected content type is ${JSON.stringify(s.contentType ?? null)}, not ${NOTATION_PAYLOAD_TYPE}.`);
  if (!s.signingScheme) problems.push('The protected header has no io.cncf.notary.signingScheme.');
  else if (!s.critical.includes('io.cncf.notary.signingScheme'))
    problems.push('io.cncf.notary.signingScheme is not listed as critical, as the spec requires.');
  if (s.signingScheme === 'notary.x509' && !s.signingTime) problems.push('The notary.x509 scheme requires io.cncf.notary.signingTime.');
  if (s.signingScheme === 'notary.x509.signingAuthority' && !s.authenticSigningTime)
    problems.push('The notary.x509.signingAuthority scheme requires io.cncf.notary.authenticSigningTime.');
  return problems;
}

const encoder = new TextEncoder();

/** Reads a flattened JWS JSON envelope. */
export function readJwsEnvelope(json: unknown): NotationSignature {
  const problems: string[] = [];
  const empty: NotationSignature = { envelope: 'JWS', protectedHeader: {}, critical: [], certificateChain: [], problems };
  if (!isObject(json)) return { ...empty, problems: ['The JWS envelope is not a JSON object.'] };
  const protectedText = stringField(json, 'protected');
  const payloadText = stringField(json, 'payload');
  const signatureText = stringField(json, 'signature');
  if (protectedText === undefined || payloadText === undefined || signatureText === undefined) {
    return { ...empty, problems: ['The envelope lacks protected, payload or signature: it is not a flattened JWS.'] };
  }
  let protectedHeader: JsonObject = {};
  const header = decodeBase64(protectedText, 'The protected header');
  if (header.ok) {
    const parsed = decodeJson(header.bytes, 'The protected header');
    if (parsed.ok && isObject(parsed.json)) protectedHeader = parsed.json;
    else problems.push(parsed.ok ? 'The protected header is not a JSON object.' : parsed.problem);
  } else problems.push(header.problem);
  const fields = headerFields(protectedHeader);
  const payload = decodeBase64(payloadText, 'The payload');
  if (!payload.ok) problems.push(payload.problem);
  const target = payload.ok ? readNotationPayload(payload.bytes, problems) : {};
  const signature = decodeBase64(signatureText, 'The signature');
  if (!signature.ok) problems.push(signature.problem);
  const unprotected = isObject(json.header) ? json.header : {};
  const chain: Uint8Array[] = [];
  stringList(unprotected.x5c).forEach((c, i) => {
    const der = decodeBase64(c, `x5c[${i}]`);
    if (der.ok) chain.push(der.bytes);
    else problems.push(der.problem);
  });
  if (chain.length === 0) problems.push('The unprotected header has no x5c certificate chain.');
  return {
    envelope: 'JWS',
    protectedHeader,
    ...fields,
    signingAgent: stringField(unprotected, 'io.cncf.notary.signingAgent'),
    certificateChain: chain,
    ...target,
    signature: signature.ok ? signature.bytes : undefined,
    // JWS signs the base64url text exactly as it appears in the envelope (RFC 7515 §5.2).
    signedBytes: encoder.encode(`${protectedText}.${payloadText}`),
    problems: [...headerProblems(fields), ...problems],
  };
}
