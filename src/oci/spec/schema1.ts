/**
 * Signed Docker schema 1 manifests (`+prettyjws`, deprecated) are addressed by the digest of
 * their payload without the signatures: the JWS protected header says how long the formatted
 * payload is (`formatLength`) and what its tail was (`formatTail`, base64url). Rebuilding that
 * payload lets such manifests verify instead of showing a false mismatch.
 */
import { isObject } from './descriptor';

function base64UrlDecode(value: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(value)) return undefined;
  const padded = value.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (value.length % 4)) % 4);
  try {
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/** The bytes a signed schema 1 manifest's digest covers, or undefined when they cannot be rebuilt. */
export function schema1SignedPayload(bytes: Uint8Array, json: unknown): Uint8Array | undefined {
  if (!isObject(json) || !Array.isArray(json.signatures) || !isObject(json.signatures[0])) return undefined;
  const protectedHeader = json.signatures[0].protected;
  if (typeof protectedHeader !== 'string') return undefined;
  const headerBytes = base64UrlDecode(protectedHeader);
  if (!headerBytes) return undefined;
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(headerBytes));
  } catch {
    return undefined;
  }
  if (!isObject(header) || typeof header.formatLength !== 'number' || typeof header.formatTail !== 'string') return undefined;
  const tail = base64UrlDecode(header.formatTail);
  if (!tail || header.formatLength < 0 || header.formatLength > bytes.length) return undefined;
  const payload = new Uint8Array(header.formatLength + tail.length);
  payload.set(bytes.subarray(0, header.formatLength));
  payload.set(tail, header.formatLength);
  return payload;
}
