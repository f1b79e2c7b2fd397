/**
 * cosign's signatures as they sit in a registry (sigstore/cosign specs/SIGNATURE_SPEC.md): each
 * layer of a `.sig` manifest is a simple-signing payload (containers/image
 * docs/containers-signature.5.md "JSON data format") whose descriptor carries the base64
 * signature, and optionally the PEM certificate, the PEM chain, the Rekor bundle and an RFC 3161
 * timestamp as annotations. The payload names the manifest it signs; that is the cross-check.
 */
import { type JsonObject, isObject, stringField } from '../spec/descriptor';
import { decodeBase64, decodeJson } from './base64';
import { type CrossCheck, type Target, compareDigests } from './cross-check';

export const SIMPLE_SIGNING = 'application/vnd.dev.cosign.simplesigning.v1+json';
export const SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
export const CERTIFICATE_ANNOTATION = 'dev.sigstore.cosign/certificate';
export const CHAIN_ANNOTATION = 'dev.sigstore.cosign/chain';
export const BUNDLE_ANNOTATION = 'dev.sigstore.cosign/bundle';
export const TIMESTAMP_ANNOTATION = 'dev.sigstore.cosign/rfc3161timestamp';
/** cosign's type for image signatures; other values are other claims (containers/image's atomic). */
export const COSIGN_SIGNATURE_TYPE = 'cosign container image signature';

export interface SimpleSigningPayload {
  type?: string;
  dockerReference?: string;
  manifestDigest?: string;
  /** User claims from `optional`, as written. */
  optional?: JsonObject;
  problems: string[];
}

/** Field lookup that ignores case: cosign's own spec spells it `Docker-manifest-digest`, and Go's decoder accepts either. */
function field(o: JsonObject, key: string): unknown {
  if (key in o) return o[key];
  const found = Object.keys(o).find((k) => k.toLowerCase() === key.toLowerCase());
  return found === undefined ? undefined : o[found];
}

export function readSimpleSigning(json: unknown): SimpleSigningPayload {
  if (!isObject(json)) return { problems: ['The simple-signing payload is not a JSON object.'] };
  const problems: string[] = [];
  const critical = field(json, 'critical');
  if (!isObject(critical)) return { problems: ['The payload has no "critical" section, so it signs nothing.'] };
  const identity = field(critical, 'identity');
  const image = field(critical, 'image');
  const type = field(critical, 'type');
  const digest = isObject(image) ? field(image, 'docker-manifest-digest') : undefined;
  if (typeof digest !== 'string')
    problems.push('critical.image.docker-manifest-digest is missing: the payload does not say which manifest it signs.');
  if (typeof type !== 'string') problems.push('critical.type is missing.');
  else if (type !== COSIGN_SIGNATURE_TYPE) problems.push(`critical.type is ${JSON.stringify(type)}, not "${COSIGN_SIGNATURE_TYPE}".`);
  const optional = field(json, 'optional');
  return {
    type: typeof type === 'string' ? type : undefined,
    dockerReference:
      isObject(identity) && typeof field(identity, 'docker-reference') === 'string'
        ? (field(identity, 'docker-reference') as string)
        : undefined,
    manifestDigest: typeof digest === 'string' ? digest : undefined,
    optional: isObject(optional) ? optional : undefined,
    problems,
  };
}

/** Whether the payload signs the manifest we came from. */
export function checkSignedDigest(payload: SimpleSigningPayload, target: Target | undefined): CrossCheck {
  return compareDigests('signed docker-manifest-digest', payload.manifestDigest ? [payload.manifestDigest] : [], target);
}

export interface RekorBundle {
  logIndex?: number;
  /** `integratedTime` as a date (the log's clock, seconds since the epoch). */
  integratedTime?: Date;
  logId?: string;
  signedEntryTimestamp?: string;
  /** The log entry body, decoded from base64 JSON (hashedrekord/intoto/… kinds). */
  body?: unknown;
  kind?: string;
  problems: string[];
}

export function readRekorBundle(text: string): RekorBundle {
  const parsed = decodeJson(new TextEncoder().encode(text), 'The bundle annotation');
  if (!parsed.ok) return { problems: [parsed.problem] };
  const json = parsed.json;
  if (!isObject(json) || !isObject(json.Payload)) return { problems: ['The bundle has no Payload object.'] };
  const payload = json.Payload;
  const problems: string[] = [];
  const integrated = payload.integratedTime;
  const logIndex = payload.logIndex;
  let body: unknown;
  let kind: string | undefined;
  const bodyText = stringField(payload, 'body');
  if (bodyText) {
    const raw = decodeBase64(bodyText, 'Payload.body');
    if (!raw.ok) problems.push(raw.problem);
    else {
      const entry = decodeJson(raw.bytes, 'Payload.body');
      if (entry.ok) {
        body = entry.json;
        kind = isObject(entry.json) ? stringField(entry.json, 'kind') : undefined;
      } else problems.push(entry.problem);
    }
  }
  if (typeof integrated !== 'number') problems.push('Payload.integratedTime is not a number.');
  if (typeof logIndex !== 'number') problems.push('Payload.logIndex is not a number.');
  return {
    logIndex: typeof logIndex === 'number' ? logIndex : undefined,
    integratedTime: typeof integrated === 'number' ? new Date(integrated * 1000) : undefined,
    logId: stringField(payload, 'logID'),
    signedEntryTimestamp: stringField(json, 'SignedEntryTimestamp'),
    body,
    kind,
    problems,
  };
}

export interface CosignLayerMaterial {
  /** The signature bytes, from the base64 annotation. */
  signature?: Uint8Array;
  signatureText?: string;
  certificatePem?: string;
  chainPem?: string;
  bundle?: RekorBundle;
  timestamp?: string;
  problems: string[];
}

/** What a signature layer's annotations carry; `.att` layers have an empty signature (it is in the DSSE). */
export function readCosignAnnotations(annotations: Record<string, string> | undefined): CosignLayerMaterial {
  const a = annotations ?? {};
  const problems: string[] = [];
  let signature: Uint8Array | undefined;
  const signatureText = a[SIGNATURE_ANNOTATION];
  if (signatureText) {
    const decoded = decodeBase64(signatureText, `The ${SIGNATURE_ANNOTATION} annotation`);
    if (decoded.ok) signature = decoded.bytes;
    else problems.push(decoded.problem);
  }
  return {
    signature,
    signatureText,
    certificatePem: a[CERTIFICATE_ANNOTATION] || undefined,
    chainPem: a[CHAIN_ANNOTATION] || undefined,
    bundle: a[BUNDLE_ANNOTATION] ? readRekorBundle(a[BUNDLE_ANNOTATION]) : undefined,
    timestamp: a[TIMESTAMP_ANNOTATION] || undefined,
    problems,
  };
}
