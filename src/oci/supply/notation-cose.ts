/**
 * Notation's COSE_Sign1 envelope (RFC 9052 §4.2, notaryproject specs/signature-envelope-cose.md):
 * `18([protected bstr, unprotected map, payload bstr, signature bstr])`. CBOR is decoded by
 * cborg (strict: no duplicate map keys, no indefinite tricks accepted silently) and loaded on
 * first use; the Sig_structure the signature covers is rebuilt from the protected bytes as
 * received, never re-encoded from the decoded map.
 */
import type * as CborgModule from 'cborg';
import { type NotationSignature, headerProblems, readNotationPayload } from './notation';

/** COSE algorithm identifiers (IANA "COSE Algorithms") to their JOSE names. */
const COSE_ALGORITHMS: Record<number, string> = {
  [-7]: 'ES256',
  [-35]: 'ES384',
  [-36]: 'ES512',
  [-37]: 'PS256',
  [-38]: 'PS384',
  [-39]: 'PS512',
  [-8]: 'EdDSA',
};
const LABEL_NAMES: Record<number, string> = { 1: 'alg', 2: 'crit', 3: 'content type', 4: 'kid', 33: 'x5chain' };

type Cborg = typeof CborgModule;
let cborg: Promise<Cborg> | undefined;

/** An epoch date (CBOR tag 1) kept as such, so signing times read as dates. */
class EpochDate {
  constructor(readonly seconds: number) {}
  toISOString(): string {
    return new Date(this.seconds * 1000).toISOString();
  }
}

function decodeOptions() {
  // cborg hands each tag decoder a function that decodes the tagged content.
  const tags: Record<number, (decode: () => unknown) => unknown> = {
    1: (decode) => new EpochDate(Number(decode())),
    18: (decode) => ({ coseSign1: decode() }),
  };
  return { tags, useMaps: true };
}

function readable(value: unknown): unknown {
  if (value instanceof EpochDate) return value.toISOString();
  if (value instanceof Uint8Array) return `(${value.length} bytes)`;
  if (value instanceof Map)
    return Object.fromEntries(
      [...value.entries()].map(([k, v]) => [typeof k === 'number' ? (LABEL_NAMES[k] ?? String(k)) : String(k), readable(v)]),
    );
  if (Array.isArray(value)) return value.map(readable);
  return value;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof EpochDate) return value.toISOString();
  return undefined;
}

export async function readCoseEnvelope(bytes: Uint8Array): Promise<NotationSignature> {
  const problems: string[] = [];
  const empty: NotationSignature = { envelope: 'COSE', protectedHeader: {}, critical: [], certificateChain: [], problems };
  const { decode, encode } = await (cborg ??= import('cborg'));
  let root: unknown;
  try {
    root = decode(bytes, decodeOptions());
  } catch (error) {
    return { ...empty, problems: [`The envelope is not valid CBOR: ${error instanceof Error ? error.message : String(error)}`] };
  }
  const sign1 = (root as { coseSign1?: unknown })?.coseSign1;
  if (!Array.isArray(sign1) || sign1.length !== 4)
    return { ...empty, problems: ['The envelope is not a tagged COSE_Sign1 (tag 18 of a 4-element array).'] };
  const [protectedBytes, unprotected, payload, signature] = sign1 as [unknown, unknown, unknown, unknown];
  if (!(protectedBytes instanceof Uint8Array) || !(payload instanceof Uint8Array) || !(signature instanceof Uint8Array)) {
    return { ...empty, problems: ['COSE_Sign1 needs byte strings for the protected header, the payload and the signature.'] };
  }
  let header = new Map<unknown, unknown>();
  try {
    const decoded = protectedBytes.length === 0 ? new Map() : decode(protectedBytes, decodeOptions());
    if (decoded instanceof Map) header = decoded;
    else problems.push('The protected header is not a CBOR map.');
  } catch (error) {
    problems.push(`The protected header is not valid CBOR: ${error instanceof Error ? error.message : String(error)}`);
  }
  const alg = header.get(1);
  const fields = {
    algorithm: typeof alg === 'number' ? (COSE_ALGORITHMS[alg] ?? `COSE algorithm ${alg}`) : undefined,
    contentType: text(header.get(3)),
    signingScheme: text(header.get('io.cncf.notary.signingScheme')),
    signingTime: text(header.get('io.cncf.notary.signingTime')),
    authenticSigningTime: text(header.get('io.cncf.notary.authenticSigningTime')),
    expiry: text(header.get('io.cncf.notary.expiry')),
    critical: Array.isArray(header.get(2)) ? (header.get(2) as unknown[]).map(String) : [],
  };
  const unprotectedMap = unprotected instanceof Map ? unprotected : new Map();
  const chainValue = unprotectedMap.get(33) ?? header.get(33);
  const chain = Array.isArray(chainValue)
    ? chainValue.filter((c): c is Uint8Array => c instanceof Uint8Array)
    : chainValue instanceof Uint8Array
      ? [chainValue]
      : [];
  if (chain.length === 0) problems.push('The envelope has no x5chain (label 33) certificate chain.');
  const target = readNotationPayload(payload, problems);
  return {
    envelope: 'COSE',
    protectedHeader: readable(header) as Record<string, unknown>,
    ...fields,
    signingAgent: text(unprotectedMap.get('io.cncf.notary.signingAgent')),
    certificateChain: chain,
    ...target,
    signature,
    signedBytes: encode(['Signature1', protectedBytes, new Uint8Array(0), payload]),
    problems: [...headerProblems(fields), ...problems],
  };
}
