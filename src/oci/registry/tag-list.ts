/**
 * Listing tags (distribution-spec "Listing Tags"): `GET /v2/<name>/tags/list?n=`, and a
 * registry's catalog (`GET /v2/_catalog?n=`), following `Link: <…>; rel="next"` (RFC 8288) page
 * by page, on the same registry and list only. Some registries ignore `n`; pagination that loops
 * or wanders off is stopped and said so.
 */
import { formatRepository } from '../spec/reference';
import { decodeDocument } from './document';
import { RegistryError } from './errors';
import { proxyUrlOfV2Path, sameListNextPage, type RepositoryAddress } from './proxy-url';
import type { RequestSubject } from './response';
import type { CallOptions, Transport } from './transport';

/** Every tag of a repository, as the registry listed them. */
export interface TagList {
  tags: string[];
  pages: number;
  /** Set when pagination stopped early, with the reason (e.g. a Link to another host). */
  stoppedEarly?: string;
  /** The failure that broke the list off after its first page (e.g. a 429), the pages before it kept. */
  interruptedBy?: RegistryError;
}

/** "The registry answered page 3 with …: the 200 tags of pages 1–2 are listed; the rest are not." */
function interruption(page: number, listed: number, error: RegistryError): string {
  const before = page === 2 ? 'page 1' : `pages 1–${page - 1}`;
  return `The list broke off at page ${page}: ${error.message} The ${listed} entries of ${before} are listed; the rest are not, until the list is read again.`;
}

const MAX_TAG_PAGES = 2000;

/** Parses `<url>; rel="next"` out of a Link header (RFC 8288), ignoring other relations. */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>\s*(.*)$/.exec(part);
    if (match && /(^|;)\s*rel="?next"?\s*(;|$)/i.test(match[2]!)) return match[1];
  }
  return undefined;
}

/** What a paginated list is: where it starts, what its pages hold, what to call it in messages. */
interface PagedList {
  registry: string;
  /** `/v2/<name>/tags/list` or `/v2/_catalog`: every next page must stay on it. */
  listPath: string;
  /** The JSON field holding the page's items: `tags` or `repositories`. */
  field: 'tags' | 'repositories';
  subject: RequestSubject;
  /** "the tag list of …", for the message when a page is not such a list. */
  description: string;
  /** "tag list" or "catalog". */
  noun: string;
}

/** The items on one page of the list; a RegistryError when the page is not such a list. */
function itemsOfPage(bytes: Uint8Array, response: Response, list: PagedList): string[] {
  const { json, parseError } = decodeDocument(bytes);
  const items = json && typeof json === 'object' ? (json as Record<string, unknown>)[list.field] : undefined;
  if (parseError || (items !== null && items !== undefined && !Array.isArray(items))) {
    throw new RegistryError(
      { kind: 'malformed-document', status: response.status, url: response.url, cause: parseError },
      `${list.registry} answered ${list.description} with something that is not a ${list.noun}.`,
    );
  }
  return ((items ?? []) as unknown[]).filter((item): item is string => typeof item === 'string');
}

/** Every page of a list, `pageSize` asked for per page, following `Link: rel="next"`. */
async function listAllPages(transport: Transport, list: PagedList, pageSize: number, call: CallOptions): Promise<TagList> {
  let path = `${list.listPath}?n=${pageSize}`;
  const items: string[] = [];
  const seen = new Set<string>();
  for (let pages = 1; ; pages++) {
    let next: string | undefined;
    try {
      const response = await transport.request(
        proxyUrlOfV2Path(list.registry, path),
        list.subject,
        { headers: { Accept: 'application/json' } },
        call,
      );
      items.push(...itemsOfPage(await transport.readBody(response, list.subject, call), response, list));
      next = nextLink(response.headers.get('link'));
    } catch (error) {
      // Pages already read are real: keep them, and say where and why the list broke off.
      if (pages === 1 || call.signal?.aborted || !(error instanceof RegistryError)) throw error;
      return { tags: items, pages: pages - 1, stoppedEarly: interruption(pages, items.length, error), interruptedBy: error };
    }
    if (!next) return { tags: items, pages };
    const nextPath = sameListNextPage(list.registry, path, next, list.listPath);
    if (!nextPath) {
      const url = new URL(next, `https://${list.registry}${path}`);
      return {
        tags: items,
        pages,
        stoppedEarly: `The registry pointed the next page to ${url.host}${url.pathname}; ociscope only follows pagination on the same registry and list.`,
      };
    }
    if (seen.has(nextPath) || pages >= MAX_TAG_PAGES) {
      return { tags: items, pages, stoppedEarly: 'The registry’s pagination repeated itself; stopped to avoid a loop.' };
    }
    seen.add(nextPath);
    path = nextPath;
  }
}

/** All tags, `pageSize` asked for per page. */
export function listTags(transport: Transport, repo: RepositoryAddress, pageSize: number, call: CallOptions): Promise<TagList> {
  const subject: RequestSubject = { what: 'tags', name: formatRepository(repo), registry: repo.registry };
  return listAllPages(
    transport,
    {
      registry: repo.registry,
      listPath: `/v2/${repo.repository}/tags/list`,
      field: 'tags',
      subject,
      description: `the tag list of ${subject.name}`,
      noun: 'tag list',
    },
    pageSize,
    call,
  );
}

/**
 * Every repository a registry lists at `GET /v2/_catalog?n=` (distribution-spec leaves the
 * catalog out of the standard; the distribution registry serves it, most public registries do
 * not). The names come back in `tags` of the TagList shape: one list type for both.
 */
export function listCatalog(transport: Transport, registry: string, pageSize: number, call: CallOptions): Promise<TagList> {
  const subject: RequestSubject = { what: 'tags', name: `the catalog of ${registry}`, registry };
  return listAllPages(
    transport,
    { registry, listPath: '/v2/_catalog', field: 'repositories', subject, description: subject.name, noun: 'catalog' },
    pageSize,
    call,
  );
}
