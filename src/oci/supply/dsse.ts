/**
 * DSSE envelopes (secure-systems-lab/dsse envelope.md, protocol.md): `payloadType`, a base64
 * `payload`, and signatures each with an optional `keyid` and a base64 `sig`. Signatures cover
 * the Pre-Authentication Encoding of type and payload, never the payload alone, so a signature
 * made for one payload type can never pass for another (cosign CVE-2022-35929).
 */
import { decodeBase64 } from './base64';
import { isObject, stringField } from '../spec/descriptor';

export const DSSE_ENVELOPE = 'application/vnd.dsse.envelope.v1+json';
/** The payloadType in-toto statements are signed under (in-toto attestation spec v1 envelope.md). */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface DsseSignature {
  keyid?: string;
  /** The signature bytes, when `sig` was valid base64. */
  sig?: Uint8Array;
  sigText: string;
  problems: string[];
}

export interface DsseEnvelope {
  payloadType: string;
  /** The decoded payload, when `payload` was valid base64. */
  payload?: Uint8Array;
  signatures: DsseSignature[];
  problems: string[];
}

/** Reads an envelope from parsed JSON; every field is checked and what is wrong is said. */
export function readDsseEnvelope(json: unknown): DsseEnvelope {
  const problems: string[] = [];
  if (!isObject(json)) return { payloadType: '', signatures: [], problems: ['The envelope is not a JSON object.'] };
  const payloadType = stringField(json, 'payloadType') ?? '';
  if (!payloadType) problems.push('The envelope has no payloadType, so nothing says how to read its payload.');
  let payload: Uint8Array | undefined;
  const payloadText = stringField(json, 'payload');
  if (payloadText === undefined) problems.push('The envelope has no payload string.');
  else {
    const decoded = decodeBase64(payloadText, 'The payload');
    if (decoded.ok) payload = decoded.bytes;
    else problems.push(decoded.problem);
  }
  const signatures: DsseSignature[] = [];
  if (!Array.isArray(json.signatures)) problems.push('The envelope has no signatures array.');
  else {
    if (json.signatures.length === 0) problems.push('The envelope carries no signature.');
    json.signatures.forEach((entry: unknown, i: number) => {
      const where = `signatures[${i}]`;
      if (!isObject(entry)) {
        signatures.push({ sigText: '', problems: [`${where} is not an object.`] });
        return;
      }
      const sigText = stringField(entry, 'sig') ?? '';
      const decoded = decodeBase64(sigText, `${where}.sig`);
      signatures.push({
        keyid: stringField(entry, 'keyid') || undefined,
        sig: decoded.ok && decoded.bytes.length > 0 ? decoded.bytes : undefined,
        sigText,
        problems: sigText === '' ? [`${where} has no sig.`] : decoded.ok ? [] : [decoded.problem],
      });
    });
  }
  return { payloadType, payload, signatures, problems };
}

const encoder = new TextEncoder();

/** `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, lengths in bytes (protocol.md). */
export function preAuthEncoding(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = encoder.encode(payloadType);
  const head = encoder.encode(`DSSEv1 ${type.length} `);
  const middle = encoder.encode(` ${payload.length} `);
  const out = new Uint8Array(head.length + type.length + middle.length + payload.length);
  out.set(head, 0);
  out.set(type, head.length);
  out.set(middle, head.length + type.length);
  out.set(payload, head.length + type.length + middle.length);
  return out;
}
