/**
 * Descriptors and platforms (image-spec descriptor.md, image-index.md "platform"), read from
 * untrusted JSON. A registry can send anything, so every field is checked and a descriptor that
 * cannot be trusted to point somewhere (bad digest, bad size) is reported, not dropped.
 */
import { parseDigest } from './digest';

/** image-index.md `platform`, as read. */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
  osVersion?: string;
  osFeatures?: string[];
}

/** image-spec descriptor.md, as read from untrusted JSON. */
export interface Descriptor {
  mediaType?: string;
  digest: string;
  size: number;
  /** False when the digest is not one we can fetch and verify (the row is shown, not linked). */
  digestValid: boolean;
  urls?: string[];
  annotations?: Record<string, string>;
  platform?: Platform;
  artifactType?: string;
}

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/** Whether a parsed JSON value is an object (not null, not an array). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string field of an object, else undefined. */
export function stringField(o: JsonObject, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}

/** The strings of an array, else undefined. */
export function stringArray(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}

/** Annotations are string→string; anything else in them is a malformed document, reported. */
export function readAnnotations(value: unknown, where: string, problems: string[]): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) {
    problems.push(`${where}.annotations is not an object.`);
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') out[k] = v;
    else problems.push(`${where}.annotations["${k}"] is not a string.`);
  }
  return out;
}

function readPlatform(value: unknown, where: string, problems: string[]): Platform | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value) || typeof value.os !== 'string' || typeof value.architecture !== 'string') {
    problems.push(`${where}.platform needs string os and architecture.`);
    return undefined;
  }
  return {
    os: value.os,
    architecture: value.architecture,
    variant: stringField(value, 'variant'),
    osVersion: stringField(value, 'os.version'),
    osFeatures: stringArray(value['os.features']),
  };
}

/** Reads a descriptor, reporting every bad field in `problems` (prefixed with `where`). */
export function readDescriptor(value: unknown, where: string, problems: string[]): Descriptor | undefined {
  if (!isObject(value)) {
    problems.push(`${where} is not an object.`);
    return undefined;
  }
  const digest = stringField(value, 'digest') ?? '';
  const digestValid = parseDigest(digest) !== undefined;
  if (!digestValid) problems.push(`${where}.digest ${digest ? `"${digest}" ` : ''}is not a sha256 or sha512 digest.`);
  const size = value.size;
  const sizeOk = typeof size === 'number' && Number.isSafeInteger(size) && size >= 0;
  if (!sizeOk) problems.push(`${where}.size is not a non-negative integer.`);
  const mediaType = stringField(value, 'mediaType');
  if (value.mediaType !== undefined && mediaType === undefined) problems.push(`${where}.mediaType is not a string.`);
  return {
    mediaType,
    digest,
    size: sizeOk ? size : NaN,
    digestValid: digestValid && sizeOk,
    urls: stringArray(value.urls),
    annotations: readAnnotations(value.annotations, where, problems),
    platform: readPlatform(value.platform, where, problems),
    artifactType: stringField(value, 'artifactType'),
  };
}

/** `linux/arm/v7`, the way people and `--platform` flags write it: the one spelling of a platform. */
export function formatPlatform(p: { os?: string; architecture?: string; variant?: string }): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/**
 * The platform of an object that carries `os` and `architecture` (a descriptor's `platform`, an
 * image config), formatted; undefined when either is missing. Lenient: for labels, not checks.
 */
export function platformLabelOf(value: unknown): string | undefined {
  if (!isObject(value) || typeof value.os !== 'string' || typeof value.architecture !== 'string') return undefined;
  return formatPlatform({
    os: value.os,
    architecture: value.architecture,
    variant: typeof value.variant === 'string' ? value.variant : undefined,
  });
}

/**
 * What an index entry says it is about another entry: `vnd.docker.reference.type`. BuildKit
 * writes `attestation-manifest` (docker buildx "attestation storage"); other builders write
 * other types (e.g. `builder`). Such entries carry platform unknown/unknown and name the entry
 * they describe in `vnd.docker.reference.digest`.
 */
export function referenceTypeOf(d: Descriptor): string | undefined {
  return d.annotations?.['vnd.docker.reference.type'];
}

/**
 * True for an entry that describes another entry (any `vnd.docker.reference.type`, BuildKit's
 * attestations and every other type alike): it is no platform, so platform lists leave it out.
 */
export function isAttestation(d: Descriptor): boolean {
  return referenceTypeOf(d) !== undefined;
}
