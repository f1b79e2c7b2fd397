/**
 * One document fetched whole and verified before anyone sees it (distribution-spec "Pulling
 * manifests", "Pulling blobs"): capped at MAX_DOCUMENT_BYTES, hashed as received, decoded for
 * display, and handed out with its Verification. Fetched by tag, the computed digest is the
 * identity and `Docker-Content-Digest` is only compared with it; signed schema 1 is digested
 * over its payload without the signatures.
 */
import { MAX_DOCUMENT_BYTES } from '../spec/limits';
import { DOCKER_SCHEMA1_SIGNED, essence } from '../spec/media-types';
import { schema1SignedPayload } from '../spec/schema1';
import { type Expectations, type Verification, verifyBytes } from '../spec/verify';
import { RegistryError } from './errors';
import type { RequestSubject } from './response';
import type { CallOptions, Transport } from './transport';

/** A document as received, with the proof of what it is. */
export interface FetchedDocument {
  bytes: Uint8Array;
  /** The bytes decoded as UTF-8 (invalid sequences replaced, so the raw view never breaks). */
  text: string;
  json?: unknown;
  /** Why the bytes are not JSON, when they are not. */
  parseError?: string;
  contentType?: string;
  headerDigest?: string;
  verification: Verification;
  /** The digest that addresses this document from now on. */
  digest: string;
  fetchedBy: 'tag' | 'digest';
}

/** What to fetch and what it must turn out to be. */
export interface DocumentRequest {
  /** The proxy URL (registry/proxy-url.ts). */
  url: string;
  subject: RequestSubject;
  accept: string;
  expect: Expectations;
  /** Manifests have their media type checked against Content-Type; blobs are octet-streams. */
  isManifest: boolean;
  fetchedBy: 'tag' | 'digest';
  call: CallOptions;
  /** Sees the response headers, for callers that need more than the document (Link, filters). */
  onHeaders?: (headers: Headers) => void;
}

/** The bytes as text, and as JSON when they are JSON. */
export function decodeDocument(bytes: Uint8Array): { text: string; json?: unknown; parseError?: string } {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  try {
    return { text, json: JSON.parse(text) };
  } catch (error) {
    return { text, parseError: error instanceof Error ? error.message : String(error) };
  }
}

function declaredMediaType(json: unknown): string | undefined {
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    const mt = (json as Record<string, unknown>).mediaType;
    return typeof mt === 'string' ? mt : undefined;
  }
  return undefined;
}

/** The error for a document over the cap, before any of it is read. */
export function tooLargeError(subject: RequestSubject, length: number, url: string, status?: number): RegistryError {
  return new RegistryError(
    { kind: 'too-large', status, url },
    `${subject.name} is ${length} bytes, over the ${MAX_DOCUMENT_BYTES} byte limit for documents shown as JSON.`,
  );
}

/** GETs a document and verifies it; every failure is a RegistryError. */
export async function fetchDocument(transport: Transport, req: DocumentRequest): Promise<FetchedDocument> {
  const { subject, call, isManifest, fetchedBy, expect } = req;
  const response = await transport.request(req.url, subject, { headers: { Accept: req.accept } }, call);
  req.onHeaders?.(response.headers);
  const length = Number(response.headers.get('content-length') ?? NaN);
  if (length > MAX_DOCUMENT_BYTES) {
    await response.body?.cancel();
    throw tooLargeError(subject, length, response.url, response.status);
  }
  const bytes = await transport.readBody(response, subject, call);
  const contentType = response.headers.get('content-type') ?? undefined;
  const headerDigest = response.headers.get('docker-content-digest') ?? undefined;
  const decoded = decodeDocument(bytes);
  const expectations: Expectations =
    fetchedBy === 'tag' && headerDigest ? { ...expect, digest: headerDigest, digestSource: 'header' } : expect;
  const signedSchema1 = isManifest && contentType !== undefined && essence(contentType) === DOCKER_SCHEMA1_SIGNED;
  const digestedBytes = signedSchema1 ? schema1SignedPayload(bytes, decoded.json) : undefined;
  const verification = await verifyBytes({
    bytes,
    digestedBytes,
    expect: expectations,
    headerDigest,
    contentType,
    declaredMediaType: isManifest ? declaredMediaType(decoded.json) : undefined,
    compareContentType: isManifest,
  });
  if (digestedBytes) {
    verification.notes.push(
      'Signed schema 1: the digest covers the JSON payload without its signatures, rebuilt from the JWS protected header.',
    );
  }
  return {
    bytes,
    ...decoded,
    contentType,
    headerDigest,
    verification,
    digest: fetchedBy === 'digest' && expect.digest ? expect.digest : verification.computed,
    fetchedBy,
  };
}
