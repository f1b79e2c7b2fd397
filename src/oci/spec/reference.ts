/**
 * Image references: turning what a person pastes (`alpine`, `ghcr.io/a/b:v1`,
 * `localhost:5000/x@sha256:…`) into the registry, repository, tag and digest the client
 * fetches, and back into the one canonical string we put in URLs and query keys.
 *
 * Accepts and normalises exactly what Docker and containerd do, so a reference that works
 * with `docker pull` works here and vice versa. The model is distribution/reference v0.6.0
 * (`ParseNormalizedNamed` followed by `ParseDockerRef`'s default tag; its grammar is unchanged
 * on main as of April 2026) with digests validated as opencontainers/go-digest does
 * (sha256 and sha512 registered, lowercase hex of exact length). Deliberate differences:
 * - `name:tag@digest` keeps the tag: `ParseDockerRef` drops it, but the page shows both what
 *   the person asked for and what pins it.
 * - A first component that is meant as a host (it has a `.` or `:`) but breaks the host
 *   grammar, like `my_registry.local/app`, is an error. Go silently re-reads it as a
 *   domain-less path, which names no registry we could contact.
 * - Every failure says which rule broke, in words, instead of "invalid reference format".
 */
import { DOCKER_HUB, DOCKER_HUB_LEGACY } from './docker-hub';

/** A parsed image reference, normalised like distribution/reference. */
export interface ImageReference {
  /** Host with optional port, as typed except `index.docker.io` → `docker.io`. */
  registry: string;
  /** Slash-separated path; Docker Hub single names gain `library/`. */
  repository: string;
  tag?: string;
  /** `algorithm:hex`, already validated by {@link isDigest}. */
  digest?: string;
}

/** A repository on a registry, normalised. */
export interface RepositoryName {
  registry: string;
  repository: string;
}

/** The grammar rule a rejected reference breaks. */
export type ReferenceRule =
  | 'empty'
  /** Text that is no reference in any form the reader of pasted input knows (reference-input.ts). */
  | 'invalid-format'
  | 'url-scheme'
  | 'whitespace'
  | 'missing-name'
  | 'host-format'
  | 'empty-component'
  | 'path-component'
  | 'uppercase'
  | 'name-too-long'
  | 'tag-format'
  | 'tag-too-long'
  | 'digest-format'
  | 'digest-algorithm'
  | 'digest-length'
  | 'multiple-digests'
  | 'hex-id'
  | 'has-tag-or-digest';

/** A reference that does not parse, with the rule it breaks. */
export class InvalidReferenceError extends Error {
  readonly kind = 'invalid-reference';
  override readonly name = 'InvalidReferenceError';

  constructor(
    readonly rule: ReferenceRule,
    readonly input: string,
    message: string,
  ) {
    super(message);
  }
}

const OFFICIAL_IMAGES_NAMESPACE = 'library/';
const DEFAULT_TAG = 'latest';

// Registries store and authorise by path, so that is what the 255 limit applies to; since
// distribution/reference v0.6.0 the host no longer counts toward it.
const MAX_PATH_LENGTH = 255;
const MAX_TAG_LENGTH = 128;

const HOST_COMPONENT = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
// IPv6 literals are bracketed as in URLs; zone identifiers are not part of the grammar.
const HOST_PATTERN = new RegExp(`^(?:${HOST_COMPONENT}(?:\\.${HOST_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);
const PATH_COMPONENT_PATTERN = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG_PATTERN = /^\w[\w.-]{0,127}$/;
const TAG_CHARACTERS_PATTERN = /^\w[\w.-]*$/;
const IMAGE_ID_PATTERN = /^[a-f0-9]{64}$/;
const URL_SCHEME_PATTERN = /^[a-z][a-z0-9+.-]*:\/\//i;
const DIGEST_ALGORITHM_PATTERN = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*$/;
const DIGEST_ENCODED_PATTERN = /^[a-zA-Z0-9=_-]+$/;
const LOWERCASE_HEX_PATTERN = /^[a-f0-9]+$/;

const TAG_GRAMMAR = '[\\w][\\w.-]{0,127}';
const PATH_GRAMMAR = 'lowercase letters and digits, separated by ".", "_", "__" or dashes, starting and ending with a letter or digit';

// Only algorithms the verifier can hash are accepted: a digest we cannot check proves nothing.
// The reference grammar's floor of 32 hex characters is implied by these exact lengths.
// A Map, not an object literal, so that "constructor:…" is not mistaken for an algorithm.
const HEX_LENGTH_BY_ALGORITHM: ReadonlyMap<string, number> = new Map([
  ['sha256', 64],
  ['sha512', 128],
]);

interface Violation {
  rule: ReferenceRule;
  message: string;
}

function digestViolation(digest: string): Violation | undefined {
  const separator = digest.indexOf(':');
  const algorithm = separator === -1 ? '' : digest.slice(0, separator);
  const encoded = separator === -1 ? '' : digest.slice(separator + 1);
  if (algorithm === '' || encoded === '') {
    return {
      rule: 'digest-format',
      message: `digest "${digest}" must be algorithm:hex, e.g. sha256:<64 hex characters>`,
    };
  }
  if (!DIGEST_ALGORITHM_PATTERN.test(algorithm)) {
    return {
      rule: 'digest-format',
      message: `digest algorithm "${algorithm}" is malformed: lowercase letters and digits, joined by ".", "+", "_" or "-"`,
    };
  }
  if (!DIGEST_ENCODED_PATTERN.test(encoded)) {
    return {
      rule: 'digest-format',
      message: `digest "${digest}" has characters that cannot appear in an encoded digest`,
    };
  }
  const hexLength = HEX_LENGTH_BY_ALGORITHM.get(algorithm);
  if (hexLength === undefined) {
    return {
      rule: 'digest-algorithm',
      message: `digest algorithm "${algorithm}" is not supported: only sha256 and sha512 can be verified`,
    };
  }
  const requirement = `digest ${algorithm} needs ${hexLength} lowercase hex characters`;
  if (encoded.length !== hexLength) {
    return { rule: 'digest-length', message: `${requirement}, got ${encoded.length}` };
  }
  if (!LOWERCASE_HEX_PATTERN.test(encoded)) {
    const hint = /^[a-fA-F0-9]+$/.test(encoded) ? ' (write the hex in lowercase)' : '';
    return { rule: 'digest-format', message: `${requirement}${hint}` };
  }
  return undefined;
}

/** Whether a string is a digest (`algorithm:encoded`) ociscope can verify. */
export function isDigest(s: string): boolean {
  return digestViolation(s) === undefined;
}

function tagViolation(tag: string): Violation | undefined {
  if (tag === '') {
    return { rule: 'tag-format', message: `":" must be followed by a tag: ${TAG_GRAMMAR}` };
  }
  if (TAG_PATTERN.test(tag)) return undefined;
  if (tag.length > MAX_TAG_LENGTH && TAG_CHARACTERS_PATTERN.test(tag)) {
    return {
      rule: 'tag-too-long',
      message: `tag must be at most ${MAX_TAG_LENGTH} characters: ${TAG_GRAMMAR} (got ${tag.length})`,
    };
  }
  return {
    rule: 'tag-format',
    message: `tag "${tag}" is invalid: letters, digits, "_", "." and "-", not starting with "." or "-": ${TAG_GRAMMAR}`,
  };
}

interface SplitName extends RepositoryName {
  /** The first component became the registry only because it has capitals. */
  hostByCaseOnly: boolean;
}

/**
 * Docker's rule for whether the text before the first "/" names a registry. Single-component
 * names never do, so `localhost:5000` alone reads as Docker Hub's `library/localhost` at tag
 * `5000`; Go leaves that as a known FIXME and we keep its behaviour.
 */
function splitRegistry(name: string): SplitName {
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  const rest = name.slice(slash + 1);
  let registry = DOCKER_HUB;
  let repository = name;
  let hostByCaseOnly = false;
  if (first === DOCKER_HUB_LEGACY) {
    repository = rest;
  } else if (first === 'localhost' || /[.:]/.test(first)) {
    registry = first;
    repository = rest;
  } else if (first !== first.toLowerCase()) {
    // Paths are lowercase, so capitals can only mean a host: distribution since 2019
    // (ca2a562), still so in distribution/reference v0.6.0.
    registry = first;
    repository = rest;
    hostByCaseOnly = true;
  }
  if (registry === DOCKER_HUB && !repository.includes('/')) {
    repository = OFFICIAL_IMAGES_NAMESPACE + repository;
  }
  return { registry, repository, hostByCaseOnly };
}

function nameViolation(name: string, { registry, repository, hostByCaseOnly }: SplitName): Violation | undefined {
  const hostIsValid = HOST_PATTERN.test(registry);
  // A capitalised first component that is no hostname was most likely a Hub namespace.
  if (repository !== repository.toLowerCase() || (hostByCaseOnly && !hostIsValid)) {
    return { rule: 'uppercase', message: `repository name must be lowercase: "${name}"` };
  }
  if (!hostIsValid) {
    return {
      rule: 'host-format',
      message: `registry "${registry}" is not a valid host: letters, digits and "-" separated by ".", or an [IPv6] address, with an optional :port`,
    };
  }
  const components = repository.split('/');
  if (components.includes('')) {
    return {
      rule: 'empty-component',
      message: `repository "${repository}" has an empty path component: remove the leading, trailing or doubled "/"`,
    };
  }
  const badComponent = components.find((c) => !PATH_COMPONENT_PATTERN.test(c));
  if (badComponent !== undefined) {
    return {
      rule: 'path-component',
      message: `repository path component "${badComponent}" is invalid: ${PATH_GRAMMAR}${
        badComponent.includes(':') ? '; a ":" may appear only once, before the tag' : ''
      }`,
    };
  }
  if (repository.length > MAX_PATH_LENGTH) {
    return {
      rule: 'name-too-long',
      message: `repository name must be at most ${MAX_PATH_LENGTH} characters, "${repository.slice(0, 24)}…" has ${repository.length}`,
    };
  }
  return undefined;
}

function referenceDigestViolation(digest: string): Violation | undefined {
  if (digest === '') {
    return {
      rule: 'digest-format',
      message: '"@" must be followed by a digest, e.g. sha256:<64 hex characters>',
    };
  }
  if (digest.includes('@')) {
    return { rule: 'multiple-digests', message: 'a reference may contain only one "@"' };
  }
  return digestViolation(digest);
}

function rejection(input: string, violation: Violation): InvalidReferenceError {
  return new InvalidReferenceError(violation.rule, input, violation.message);
}

/** Validates and normalises without adding a default tag. */
function parseParts(input: string): ImageReference {
  const text = input.trim();
  if (text === '') throw rejection(input, { rule: 'empty', message: 'reference is empty' });

  const scheme = URL_SCHEME_PATTERN.exec(text);
  if (scheme) {
    throw rejection(input, {
      rule: 'url-scheme',
      message: `remove the "${scheme[0]}" prefix: a reference is registry/repository[:tag][@digest], not a URL`,
    });
  }
  if (/\s/.test(text)) {
    throw rejection(input, {
      rule: 'whitespace',
      message: 'reference must not contain spaces or line breaks',
    });
  }
  if (IMAGE_ID_PATTERN.test(text)) {
    throw rejection(input, {
      rule: 'hex-id',
      message: 'this looks like an image ID (64 hex characters), not a reference: name an image by digest as repository@sha256:<hex>',
    });
  }

  const at = text.indexOf('@');
  const beforeDigest = at === -1 ? text : text.slice(0, at);
  const digest = at === -1 ? undefined : text.slice(at + 1);
  // A tag follows a ":" that comes after the last "/"; earlier colons belong to the host.
  const colon = beforeDigest.lastIndexOf(':');
  const hasTag = colon > beforeDigest.lastIndexOf('/');
  const name = hasTag ? beforeDigest.slice(0, colon) : beforeDigest;
  const tag = hasTag ? beforeDigest.slice(colon + 1) : undefined;

  if (name === '') {
    throw rejection(input, {
      rule: 'missing-name',
      message: `missing repository name before "${hasTag ? ':' : '@'}"`,
    });
  }
  const split = splitRegistry(name);
  const problem =
    nameViolation(name, split) ??
    (tag === undefined ? undefined : tagViolation(tag)) ??
    (digest === undefined ? undefined : referenceDigestViolation(digest));
  if (problem) throw rejection(input, problem);

  const ref: ImageReference = { registry: split.registry, repository: split.repository };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

/** Parses `[host/]path[:tag][@digest]`; throws InvalidReferenceError naming the rule. */
export function parseReference(input: string): ImageReference {
  const ref = parseParts(input);
  if (ref.tag === undefined && ref.digest === undefined) ref.tag = DEFAULT_TAG;
  return ref;
}

/** For `?repo=`: the same normalisation, but a tag or digest means the wrong link was used. */
export function parseRepository(input: string): RepositoryName {
  const ref = parseParts(input);
  if (ref.tag !== undefined || ref.digest !== undefined) {
    const suffix = formatReference(ref).slice(formatRepository(ref).length);
    // "localhost:5000" alone parses as Hub's library/localhost at tag 5000, which surprises
    // people who meant a registry.
    const looksLikeHostAndPort =
      ref.registry === DOCKER_HUB && /^library\/(?:localhost|[^/]*\.[^/]*)$/.test(ref.repository) && /^[0-9]+$/.test(ref.tag ?? '');
    const hint = looksLikeHostAndPort ? '; a registry needs a repository after it: host:port/name' : '';
    throw new InvalidReferenceError(
      'has-tag-or-digest',
      input,
      `a repository cannot have a tag or digest; remove "${suffix}" or open it as an image${hint}`,
    );
  }
  return { registry: ref.registry, repository: ref.repository };
}

/** `host/path`, the repository the way links spell it. */
export function formatRepository(ref: RepositoryName): string {
  return `${ref.registry}/${ref.repository}`;
}

/** `host/path[:tag][@digest]`, the reference the way links spell it. */
export function formatReference(ref: ImageReference): string {
  const tag = ref.tag === undefined ? '' : `:${ref.tag}`;
  const digest = ref.digest === undefined ? '' : `@${ref.digest}`;
  return `${formatRepository(ref)}${tag}${digest}`;
}

/** Pins a repository to content, e.g. for the permalink of a page opened by tag. */
export function withDigest(ref: RepositoryName, digest: string): ImageReference {
  const problem = digestViolation(digest);
  if (problem) throw rejection(`${formatRepository(ref)}@${digest}`, problem);
  return { registry: ref.registry, repository: ref.repository, digest };
}
