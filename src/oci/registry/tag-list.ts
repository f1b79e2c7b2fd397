/**
 * Listing tags (distribution-spec "Listing Tags"): `GET /v2/<name>/tags/list?n=`, following
 * `Link: <…>; rel="next"` (RFC 8288) page by page, on the same registry and list only. Some
 * registries ignore `n`; pagination that loops or wanders off is stopped and said so.
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

/** The tags on one page of the list; a RegistryError when the page is not a tag list. */
function tagsOfPage(bytes: Uint8Array, response: Response, repo: RepositoryAddress, subject: RequestSubject): string[] {
  const { json, parseError } = decodeDocument(bytes);
  const pageTags = json && typeof json === 'object' ? (json as { tags?: unknown }).tags : undefined;
  if (parseError || (pageTags !== null && pageTags !== undefined && !Array.isArray(pageTags))) {
    throw new RegistryError(
      { kind: 'malformed-document', status: response.status, url: response.url, cause: parseError },
      `${repo.registry} answered the tag list of ${subject.name} with something that is not a tag list.`,
    );
  }
  return ((pageTags ?? []) as unknown[]).filter((tag): tag is string => typeof tag === 'string');
}

/** All tags, `pageSize` asked for per page. */
export async function listTags(transport: Transport, repo: RepositoryAddress, pageSize: number, call: CallOptions): Promise<TagList> {
  const subject: RequestSubject = { what: 'tags', name: formatRepository(repo), registry: repo.registry };
  const listPath = `/v2/${repo.repository}/tags/list`;
  let path = `${listPath}?n=${pageSize}`;
  const tags: string[] = [];
  const seen = new Set<string>();
  for (let pages = 1; ; pages++) {
    const response = await transport.request(
      proxyUrlOfV2Path(repo.registry, path),
      subject,
      { headers: { Accept: 'application/json' } },
      call,
    );
    tags.push(...tagsOfPage(await transport.readBody(response, subject, call), response, repo, subject));
    const next = nextLink(response.headers.get('link'));
    if (!next) return { tags, pages };
    const nextPath = sameListNextPage(repo.registry, path, next, listPath);
    if (!nextPath) {
      const url = new URL(next, `https://${repo.registry}${path}`);
      return {
        tags,
        pages,
        stoppedEarly: `The registry pointed the next page to ${url.host}${url.pathname}; ociscope only follows pagination on the same registry and list.`,
      };
    }
    if (seen.has(nextPath) || pages >= MAX_TAG_PAGES) {
      return { tags, pages, stoppedEarly: 'The registry’s pagination repeated itself; stopped to avoid a loop.' };
    }
    seen.add(nextPath);
    path = nextPath;
  }
}
