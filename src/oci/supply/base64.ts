/**
 * Base64 as supply-chain formats use it: DSSE accepts both the standard and the URL-safe
 * alphabet (DSSE envelope.md "base64 encoding"), JWS uses unpadded base64url (RFC 7515 §2),
 * cosign annotations use standard base64 (RFC 4648 §4). Registry-controlled text arrives here,
 * so a bad character or a wrong length is a reported problem with its position, never a throw.
 */

export type Base64Result = { ok: true; bytes: Uint8Array } | { ok: false; problem: string };

const ALPHABET = /^[A-Za-z0-9+/\-_]*={0,2}$/;

/** Decodes standard or URL-safe base64, padded or not; whitespace (PEM-style wrapping) is ignored. */
export function decodeBase64(text: string, what = 'The value'): Base64Result {
  const compact = text.replace(/[\s]+/g, '');
  if (!ALPHABET.test(compact)) {
    const bad = [...compact].findIndex((c) => !/[A-Za-z0-9+/\-_=]/.test(c));
    const at = bad >= 0 ? bad : compact.indexOf('=');
    return { ok: false, problem: `${what} is not base64: unexpected ${JSON.stringify(compact[at] ?? '=')} at character ${at + 1}.` };
  }
  const unpadded = compact.replace(/=+$/, '');
  if (unpadded.length % 4 === 1)
    return { ok: false, problem: `${what} is not base64: ${unpadded.length} characters cannot encode whole bytes.` };
  const standard = unpadded.replace(/-/g, '+').replace(/_/g, '/');
  const padded = standard + '='.repeat((4 - (standard.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return { ok: true, bytes };
}

/** Unpadded base64url of bytes (RFC 7515 §2), for rebuilding a JWS signing input. */
export function encodeBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 text of decoded bytes, or a problem when they are not UTF-8 (a payload that is binary). */
export function decodeUtf8(bytes: Uint8Array, what: string): { ok: true; text: string } | { ok: false; problem: string } {
  try {
    return { ok: true, text: utf8.decode(bytes) };
  } catch {
    return { ok: false, problem: `${what} is not UTF-8 text.` };
  }
}

/** JSON of decoded bytes, or a problem naming why not. */
export function decodeJson(
  bytes: Uint8Array,
  what: string,
): { ok: true; json: unknown; text: string } | { ok: false; problem: string; text?: string } {
  const text = decodeUtf8(bytes, what);
  if (!text.ok) return text;
  try {
    return { ok: true, json: JSON.parse(text.text), text: text.text };
  } catch (error) {
    return { ok: false, problem: `${what} is not JSON: ${error instanceof Error ? error.message : String(error)}`, text: text.text };
  }
}

/** A copy of the bytes as a plain ArrayBuffer, the type WebCrypto and the ASN.1 parsers take. */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer as ArrayBuffer;
}
