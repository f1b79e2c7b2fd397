/**
 * Image indexes and image manifests, OCI and Docker (image-spec image-index.md, manifest.md;
 * Docker manifest v2.2). The two families share a shape, so one reader serves both; what
 * differs (media types, fields Docker lacks) is noted per field.
 */
import { type Descriptor, type JsonObject, isObject, readAnnotations, readDescriptor, stringField } from './descriptor';
import { kindOf } from './media-types';

/** An image index or Docker manifest list, as read. */
export interface ImageIndex {
  kind: 'index';
  schemaVersion?: number;
  mediaType?: string;
  artifactType?: string;
  manifests: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
  problems: string[];
}

/** An image manifest (OCI or Docker v2.2), as read. */
export interface ImageManifest {
  kind: 'manifest';
  schemaVersion?: number;
  mediaType?: string;
  artifactType?: string;
  config?: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
  problems: string[];
}

/** A document that is neither: schema 1, or something else. */
export interface UnknownDocument {
  kind: 'schema1' | 'unknown';
  mediaType?: string;
  problems: string[];
}

/** What a manifest endpoint can answer with. */
export type RegistryDocument = ImageIndex | ImageManifest | UnknownDocument;

function readList(value: unknown, where: string, problems: string[]): Descriptor[] {
  if (!Array.isArray(value)) {
    problems.push(`${where} is not an array.`);
    return [];
  }
  return value.flatMap((item, i) => readDescriptor(item, `${where}[${i}]`, problems) ?? []);
}

function common(o: JsonObject, problems: string[]) {
  const schemaVersion = typeof o.schemaVersion === 'number' ? o.schemaVersion : undefined;
  if (schemaVersion !== 2) problems.push(`schemaVersion is ${JSON.stringify(o.schemaVersion)}, expected 2.`);
  return {
    schemaVersion,
    mediaType: stringField(o, 'mediaType'),
    artifactType: stringField(o, 'artifactType'),
    subject: o.subject === undefined ? undefined : readDescriptor(o.subject, 'subject', problems),
    annotations: readAnnotations(o.annotations, 'manifest', problems),
  };
}

/**
 * Reads a manifests-endpoint document. The media type comes from the document itself, else the
 * Content-Type it was served with; shape is a last resort (old OCI documents omit mediaType).
 */
export function readRegistryDocument(json: unknown, servedAs: string | undefined): RegistryDocument {
  const problems: string[] = [];
  if (!isObject(json)) return { kind: 'unknown', problems: ['The document is not a JSON object.'] };
  const mediaType = stringField(json, 'mediaType') ?? servedAs;
  let kind = kindOf(mediaType);
  if (kind !== 'index' && kind !== 'manifest' && kind !== 'schema1') {
    if (Array.isArray(json.manifests)) kind = 'index';
    else if (Array.isArray(json.layers)) kind = 'manifest';
    else if (json.schemaVersion === 1) kind = 'schema1';
  }
  if (kind === 'index') {
    return { kind, ...common(json, problems), manifests: readList(json.manifests, 'manifests', problems), problems };
  }
  if (kind === 'manifest') {
    const config = readDescriptor(json.config, 'config', problems);
    return { kind, ...common(json, problems), config, layers: readList(json.layers, 'layers', problems), problems };
  }
  return { kind: kind === 'schema1' ? 'schema1' : 'unknown', mediaType, problems };
}

/** The sum of descriptor sizes, for "total" rows. */
export function totalSize(descriptors: Descriptor[]): number {
  return descriptors.reduce((sum, d) => sum + (Number.isFinite(d.size) ? d.size : 0), 0);
}
