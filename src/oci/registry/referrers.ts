/**
 * The referrers of a manifest: the signatures, SBOMs and other artifacts whose `subject` names
 * it (image-spec manifest.md "subject", distribution-spec "Listing Referrers").
 *
 * Where they come from, in the order the distribution-spec asks clients to look:
 * 1. The Referrers API, `GET /v2/<name>/referrers/<digest>`: an index the registry generates
 *    per request (followed across `Link` pages). It is verified like every document, but it
 *    is not content-addressed, and the result says so rather than calling it verified.
 * 2. When the API answers 404 (or says it is unsupported), the "Referrers Tag Schema": an
 *    index pushed by clients under the tag `<alg>-<hex>`, fetched and verified like any
 *    manifest by tag. No such tag means no referrers.
 * 3. Independently of both, cosign's tags `sha256-<hex>.sig`, `.att` and `.sbom`: cosign
 *    stores signatures and attestations by naming convention, without `subject`, so neither
 *    of the above lists them. Each is probed with HEAD and, when present, fetched by tag.
 * Every entry says which of these it came from.
 */
import type { ReferrersApiPage, RegistryClient, Repository } from './client';
import { type Descriptor, isObject, readAnnotations } from '../spec/descriptor';
import { parseDigest } from '../spec/digest';
import { RegistryError, isRegistryError } from './errors';
import { type ImageIndex, type RegistryDocument, readRegistryDocument } from '../spec/manifest';
import { essence } from '../spec/media-types';
import type { Verification } from '../spec/verify';
import type { CallOptions } from './transport';
import type { ImageReference } from '../spec/reference';
import type { FetchedDocument } from './document';
import { sameListNextPage } from './proxy-url';

/**
 * The reference of a tag in `repo`, built from its name alone: callers may hand a repository that
 * is really a whole image reference carrying the subject's digest, and a digest wins over a tag,
 * so spreading it would probe the subject manifest instead of the tag.
 */
function tagOf(repo: Repository, tag: string): ImageReference {
  return { registry: repo.registry, repository: repo.repository, tag };
}

/** The tags cosign writes next to an image: signatures, attestations, SBOMs. */
export type CosignSuffix = 'sig' | 'att' | 'sbom';

/** Where a referrer was found. */
export type ReferrerSource =
  { kind: 'api' } | { kind: 'tag-schema'; tag: string } | { kind: 'cosign-tag'; tag: string; suffix: CosignSuffix };

/** One manifest that refers to the subject, with everywhere it was found. */
export interface Referrer {
  descriptor: Descriptor;
  /** `artifactType`, else the config's media type (the rule the Referrers API itself follows). */
  artifactType?: string;
  sources: ReferrerSource[];
  /** For entries read from a cosign tag: the verification of that manifest, fetched by tag. */
  verification?: Verification;
  problems: string[];
}

/** A listing document as fetched: an API page, or the tag schema index. */
export interface ListingDocument {
  fetched: FetchedDocument;
  problems: string[];
}

/** What probing one cosign tag found. */
export interface CosignProbe {
  tag: string;
  suffix: CosignSuffix;
  state: 'absent' | 'found' | 'failed';
  /** Why the probe failed, in the client's words. */
  error?: string;
}

/** Everything known about what refers to a manifest, and how it was learned. */
export interface ReferrersList {
  repo: Repository;
  subject: string;
  /** Which listing answered: the Referrers API, or the tag schema after the API said 404. */
  via: 'api' | 'tag-schema';
  /** The API's pages, each verified as received (none content-addressed). */
  apiPages: ListingDocument[];
  /** What the API answered when it was unavailable, so the fallback can be explained. */
  apiUnavailable?: { status?: number; message: string };
  /** The referrers tag, and the index found under it (absent when the tag does not exist). */
  tagSchema?: { tag: string; index?: ListingDocument };
  cosign: CosignProbe[];
  /** The artifactType filter asked for, and who applied it. */
  filter?: { artifactType: string; appliedBy: 'registry' | 'client' };
  referrers: Referrer[];
  /** Set when pagination stopped early, with the reason. */
  stoppedEarly?: string;
  /** False when any listing document failed verification: its entries are untrusted. */
  trusted: boolean;
}

/** The cosign tags probed, in the order they are listed. */
export const COSIGN_SUFFIXES: readonly CosignSuffix[] = ['sig', 'att', 'sbom'];
const MAX_REFERRER_PAGES = 100;

/**
 * The tag schema's tag for a digest: algorithm cut to 32 characters, encoded part to 64, and
 * anything a tag may not hold replaced with `-` (distribution-spec "Referrers Tag Schema").
 */
export function referrersTag(digest: string): string {
  const colon = digest.indexOf(':');
  const algorithm = digest.slice(0, colon).slice(0, 32);
  const encoded = digest.slice(colon + 1).slice(0, 64);
  return `${algorithm}-${encoded}`.replace(/[^\w.-]/g, '-');
}

/**
 * 404 is the spec's signal that there is no API; some registries instead answer 405/501 or an
 * UNSUPPORTED code. Other failures (401, 429, 5xx) are answers about this request, not the API.
 */
function apiUnsupported(error: unknown): error is RegistryError {
  if (!isRegistryError(error)) return false;
  return error.detail.status === 404 || error.detail.status === 405 || error.detail.status === 501 || error.detail.code === 'UNSUPPORTED';
}

function effectiveArtifactType(artifactType: string | undefined, configMediaType: string | undefined): string | undefined {
  return artifactType || configMediaType || undefined;
}

/** Reads a listing as an index; anything else is reported, with no entries. */
function readListing(fetched: FetchedDocument, what: string): { index?: ImageIndex; problems: string[] } {
  if (fetched.json === undefined) return { problems: [`The ${what} is not JSON: ${fetched.parseError ?? 'unknown error'}`] };
  const document: RegistryDocument = readRegistryDocument(fetched.json, fetched.contentType);
  if (document.kind !== 'index')
    return { problems: [`The ${what} is not an image index, so it lists no referrers.`, ...document.problems] };
  return { index: document, problems: document.problems };
}

function descriptorProblems(d: Descriptor, subject: string): string[] {
  return d.digest === subject ? ['This entry names the subject itself.'] : [];
}

function fromListing(index: ImageIndex, source: ReferrerSource, subject: string): Referrer[] {
  return index.manifests.map((descriptor) => ({
    descriptor,
    artifactType: descriptor.artifactType || undefined,
    sources: [source],
    problems: descriptorProblems(descriptor, subject),
  }));
}

/** Same host and same list only, like tag pagination: a Link must not send us elsewhere. */
function nextPagePath(repo: Repository, digest: string, next: string, current: string): string | undefined {
  return sameListNextPage(repo.registry, current, next, `/v2/${repo.repository}/referrers/${digest}`);
}

async function listFromApi(
  client: RegistryClient,
  repo: Repository,
  digest: string,
  artifactType: string | undefined,
  call: CallOptions,
): Promise<Pick<ReferrersList, 'apiPages' | 'referrers' | 'stoppedEarly'> & { filtered: boolean }> {
  const apiPages: ListingDocument[] = [];
  const referrers: Referrer[] = [];
  let filtered = true;
  let pagePath: string | undefined;
  let current = `/v2/${repo.repository}/referrers/${digest}`;
  const seen = new Set<string>();
  for (;;) {
    let page: ReferrersApiPage;
    try {
      page = await client.fetchReferrersApiPage(repo, digest, { artifactType, pagePath }, call);
    } catch (error) {
      // A later page that fails leaves the pages already verified worth showing, with the reason.
      if (pagePath === undefined || call.signal?.aborted || !isRegistryError(error)) throw error;
      return { apiPages, referrers, filtered, stoppedEarly: `The next page of referrers could not be fetched: ${error.message}` };
    }
    const { index, problems } = readListing(page.document, 'Referrers API answer');
    if (!index) {
      throw new RegistryError(
        { kind: 'malformed-document', url: pagePath ?? current, cause: problems[0] },
        `${repo.registry} answered the referrers request with something that is not an image index.`,
      );
    }
    apiPages.push({ fetched: page.document, problems });
    referrers.push(...fromListing(index, { kind: 'api' }, digest));
    // Every page must say it filtered; one that did not leaves filtering to us.
    if (!page.filtersApplied.includes('artifactType')) filtered = false;
    if (!page.next) return { apiPages, referrers, filtered };
    const nextPath = nextPagePath(repo, digest, page.next, current);
    if (!nextPath) {
      return {
        apiPages,
        referrers,
        filtered,
        stoppedEarly: `The registry pointed the next page of referrers to ${page.next}; ociscope only follows pages of the same list on the same registry.`,
      };
    }
    if (seen.has(nextPath) || apiPages.length >= MAX_REFERRER_PAGES) {
      return { apiPages, referrers, filtered, stoppedEarly: 'The registry’s pagination repeated itself; stopped to avoid a loop.' };
    }
    seen.add(nextPath);
    pagePath = nextPath;
    current = nextPath;
  }
}

async function listFromTagSchema(
  client: RegistryClient,
  repo: Repository,
  digest: string,
  call: CallOptions,
): Promise<{ tagSchema: NonNullable<ReferrersList['tagSchema']>; referrers: Referrer[] }> {
  const tag = referrersTag(digest);
  let fetched: FetchedDocument;
  try {
    fetched = await client.fetchManifest(tagOf(repo, tag), {}, call);
  } catch (error) {
    // No such tag: nobody pushed a referrer the old way. An unknown repository still fails.
    if (isRegistryError(error) && error.kind === 'manifest-unknown') return { tagSchema: { tag }, referrers: [] };
    throw error;
  }
  const { index, problems } = readListing(fetched, `referrers tag ${tag}`);
  return {
    tagSchema: { tag, index: { fetched, problems } },
    referrers: index ? fromListing(index, { kind: 'tag-schema', tag }, digest) : [],
  };
}

/** A manifest read from a cosign tag, described the way a referrers index would describe it. */
function cosignReferrer(fetched: FetchedDocument, source: Extract<ReferrerSource, { kind: 'cosign-tag' }>, subject: string): Referrer {
  const problems: string[] = [];
  const json = isObject(fetched.json) ? fetched.json : undefined;
  const document = json ? readRegistryDocument(json, fetched.contentType) : undefined;
  if (!document) problems.push(`${source.tag} is not a JSON manifest.`);
  const config = document?.kind === 'manifest' ? document.config : undefined;
  const artifactType = document && 'artifactType' in document ? document.artifactType : undefined;
  const documentSubject = document && 'subject' in document ? document.subject : undefined;
  if (documentSubject && documentSubject.digest !== subject) {
    problems.push(`Its subject is ${documentSubject.digest}, not this manifest: the tag name and the content disagree.`);
  }
  return {
    descriptor: {
      mediaType: document?.mediaType ?? (fetched.contentType ? essence(fetched.contentType) : undefined),
      digest: fetched.digest,
      size: fetched.bytes.byteLength,
      digestValid: true,
      annotations: json ? readAnnotations(json.annotations, 'manifest', problems) : undefined,
    },
    artifactType: effectiveArtifactType(artifactType, config?.mediaType),
    sources: [source],
    verification: fetched.verification,
    problems: [...(document?.problems ?? []), ...problems],
  };
}

async function probeCosign(
  client: RegistryClient,
  repo: Repository,
  digest: string,
  call: CallOptions,
): Promise<{ probes: CosignProbe[]; referrers: Referrer[] }> {
  // cosign names tags `sha256-<hex>.<suffix>`; other algorithms would overflow a tag.
  if (parseDigest(digest)?.algorithm !== 'sha256') return { probes: [], referrers: [] };
  const base = referrersTag(digest);
  const results = await Promise.all(
    COSIGN_SUFFIXES.map(async (suffix): Promise<{ probe: CosignProbe; referrer?: Referrer }> => {
      const tag = `${base}.${suffix}`;
      try {
        if (!(await client.manifestExists(tagOf(repo, tag), call))) return { probe: { tag, suffix, state: 'absent' } };
        const fetched = await client.fetchManifest(tagOf(repo, tag), {}, call);
        return { probe: { tag, suffix, state: 'found' }, referrer: cosignReferrer(fetched, { kind: 'cosign-tag', tag, suffix }, digest) };
      } catch (error) {
        // One failed probe must not hide what the listing found; it is shown beside it.
        if (call.signal?.aborted || !isRegistryError(error)) throw error;
        return { probe: { tag, suffix, state: 'failed', error: error.message } };
      }
    }),
  );
  return { probes: results.map((r) => r.probe), referrers: results.flatMap((r) => (r.referrer ? [r.referrer] : [])) };
}

/** One row per digest: a manifest reached two ways keeps both sources. */
function mergeByDigest(referrers: Referrer[]): Referrer[] {
  const byDigest = new Map<string, Referrer>();
  const merged: Referrer[] = [];
  for (const referrer of referrers) {
    const existing = byDigest.get(referrer.descriptor.digest);
    if (existing) {
      existing.sources.push(...referrer.sources);
      existing.verification ??= referrer.verification;
      existing.problems.push(...referrer.problems);
    } else {
      const copy = { ...referrer, sources: [...referrer.sources], problems: [...referrer.problems] };
      byDigest.set(referrer.descriptor.digest, copy);
      merged.push(copy);
    }
  }
  return merged;
}

type Listing = Pick<ReferrersList, 'via' | 'apiPages' | 'apiUnavailable' | 'tagSchema' | 'referrers' | 'stoppedEarly'> & {
  /** Whether the registry applied the artifactType filter to everything it listed. */
  filtered: boolean;
};

/** The API, or on 404 the tag schema (distribution-spec "Unavailable Referrers API"). */
async function listing(
  client: RegistryClient,
  repo: Repository,
  digest: string,
  artifactType: string | undefined,
  call: CallOptions,
): Promise<Listing> {
  try {
    return { via: 'api', ...(await listFromApi(client, repo, digest, artifactType, call)) };
  } catch (error) {
    if (!apiUnsupported(error)) throw error;
    return {
      via: 'tag-schema',
      apiPages: [],
      apiUnavailable: { status: error.detail.status, message: error.message },
      filtered: false,
      ...(await listFromTagSchema(client, repo, digest, call)),
    };
  }
}

/** What refers to `digest`: the Referrers API, else the referrers tag, plus cosign's tags. */
export async function listReferrers(
  client: RegistryClient,
  repo: Repository,
  digest: string,
  options: { artifactType?: string } = {},
  call: CallOptions = {},
): Promise<ReferrersList> {
  const { artifactType } = options;
  // The probes do not depend on the listing, so they run alongside it; when the listing fails,
  // its error is the answer, and the probes are still awaited so none is left unobserved.
  const [listed, probed] = await Promise.allSettled([
    listing(client, repo, digest, artifactType, call),
    probeCosign(client, repo, digest, call),
  ]);
  if (listed.status === 'rejected') throw listed.reason;
  if (probed.status === 'rejected') throw probed.reason;
  const { filtered, ...found } = listed.value;
  const all = mergeByDigest([...found.referrers, ...probed.value.referrers]);
  const documents = [...found.apiPages, ...(found.tagSchema?.index ? [found.tagSchema.index] : [])];
  return {
    ...found,
    repo,
    subject: digest,
    cosign: probed.value.probes,
    filter: artifactType === undefined ? undefined : { artifactType, appliedBy: filtered ? 'registry' : 'client' },
    // Filtered here too: the registry's filter covers only its own listing, never cosign's tags.
    referrers: artifactType === undefined ? all : all.filter((r) => r.artifactType === artifactType),
    trusted: documents.every((d) => d.fetched.verification.trusted),
  };
}
