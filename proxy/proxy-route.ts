/**
 * Turns a proxy request URL into the registry URL it stands for, or refuses it.
 *
 * Shape (`.notes/contracts.md`, "Proxy URL shape"): `/registry/<host>/v2/<api-path>[?query]`
 * where api-path is one of the read endpoints of the OCI distribution-spec (v1.1, "Endpoints"):
 * the `/v2/` ping, `<name>/manifests/<reference>`, `<name>/blobs/<digest>`, `<name>/tags/list`,
 * `<name>/referrers/<digest>` and `_catalog`. Every part is checked against its grammar —
 * repository name and tag from the distribution-spec, digest from the OCI image-spec
 * ("Digests"), host from distribution/reference — so the registry only ever sees paths a
 * well-behaved client would send, and nothing can be smuggled past the path structure: dot
 * segments, backslashes and percent-encoding (including encoded `/` and `\`) are refused rather
 * than decoded. Only the documented query parameters pass, `n` clamped to 1..1000.
 *
 * The registry is contacted at `registry-1.docker.io` for `docker.io` (Docker Hub's API host),
 * over plain http for loopback hosts (local test registries) and https for everything else.
 */
import { isLoopbackHostname } from './address-policy.ts';
import { BadRequestError } from './errors.ts';
import { DOCKER_HUB, DOCKER_HUB_API_HOST } from '../src/oci/spec/docker-hub.ts';

export type ApiKind = 'ping' | 'catalog' | 'tags' | 'manifest' | 'blob' | 'referrers';

export interface ProxyRoute {
  readonly kind: ApiKind;
  /** Registry host as written in the proxy URL, lowercased: `docker.io`, `localhost:5000`. */
  readonly host: string;
  readonly repository?: string;
  /** Tag or digest for manifests, digest for blobs and referrers. */
  readonly reference?: string;
  /** The URL names immutable content: a manifest by digest, or a blob. */
  readonly digestAddressed: boolean;
  readonly upstream: URL;
}

const ROUTE_PREFIX = '/registry/';

const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/i;
const NAME_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const NAME_MAX_LENGTH = 255;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
/** Registered algorithms pin the encoded length and alphabet (image-spec "Registered algorithms"). */
const REGISTERED_DIGESTS: Readonly<Record<string, RegExp>> = {
  sha256: /^[a-f0-9]{64}$/,
  sha512: /^[a-f0-9]{128}$/,
};
/** RFC 6838 §4.2 type/subtype names, for `artifactType`. */
const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;
const PAGE_SIZE_MAX = 1000;

export function parseProxyRoute(pathname: string, query: URLSearchParams): ProxyRoute {
  rejectSmuggling(pathname);
  if (!pathname.startsWith(ROUTE_PREFIX)) {
    throw new BadRequestError(`Proxy paths start with ${ROUTE_PREFIX}<host>/v2/.`, { part: 'path', value: pathname });
  }
  const rest = pathname.slice(ROUTE_PREFIX.length);
  const slash = rest.indexOf('/');
  const host = parseHost(slash === -1 ? rest : rest.slice(0, slash));
  const afterHost = slash === -1 ? '' : rest.slice(slash);
  if (afterHost !== '/v2' && !afterHost.startsWith('/v2/')) {
    throw new BadRequestError('Only the registry API under /v2/ is proxied.', { part: 'path', value: afterHost });
  }
  const api = parseApiPath(afterHost.slice('/v2/'.length));
  const search = parseQuery(api.kind, query);

  const upstreamHost = host.authority === DOCKER_HUB ? DOCKER_HUB_API_HOST : host.authority;
  const scheme = isLoopbackHostname(host.hostname) ? 'http:' : 'https:';
  const upstream = new URL(`${scheme}//${upstreamHost}/v2/${api.path}`);
  upstream.search = search.toString();

  return {
    kind: api.kind,
    host: host.authority,
    ...(api.repository === undefined ? {} : { repository: api.repository }),
    ...(api.reference === undefined ? {} : { reference: api.reference }),
    digestAddressed: api.kind === 'blob' || (api.kind === 'manifest' && isDigest(api.reference)),
    upstream,
  };
}

function rejectSmuggling(pathname: string): void {
  if (pathname.includes('\\')) {
    throw new BadRequestError('Backslashes are not allowed in proxy paths.', { part: 'path', value: pathname });
  }
  if (/%(?:2f|5c)/i.test(pathname)) {
    throw new BadRequestError('Percent-encoded slashes or backslashes are not allowed in proxy paths.', {
      part: 'path',
      value: pathname,
    });
  }
  if (pathname.includes('%')) {
    throw new BadRequestError('Percent-encoding is not allowed in proxy paths: no valid name, tag or digest needs it.', {
      part: 'path',
      value: pathname,
    });
  }
  if (pathname.split('/').some((segment) => segment === '.' || segment === '..')) {
    throw new BadRequestError('Dot segments (. and ..) are not allowed in proxy paths.', { part: 'path', value: pathname });
  }
}

function parseHost(raw: string): { authority: string; hostname: string } {
  if (raw.includes('@')) {
    throw new BadRequestError(`Registry host "${raw}" carries credentials (userinfo), which the proxy refuses.`, {
      part: 'host',
      value: raw,
    });
  }
  const invalid = () =>
    new BadRequestError(`"${raw}" is not a registry host: expected hostname[:port] or [ipv6][:port].`, {
      part: 'host',
      value: raw,
    });
  if (!HOST.test(raw)) throw invalid();
  const port = /:([0-9]+)$/.exec(raw.replace(/^\[[^\]]*\]/, ''))?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) throw invalid();
  let hostname: string;
  try {
    // The WHATWG parser decides what the host *is*: `0x7f.1` and `2130706433` become 127.0.0.1.
    hostname = new URL(`http://${raw}/`).hostname;
  } catch {
    throw invalid();
  }
  return { authority: raw.toLowerCase(), hostname };
}

interface ApiPath {
  kind: ApiKind;
  path: string;
  repository?: string;
  reference?: string;
}

function parseApiPath(path: string): ApiPath {
  if (path === '') return { kind: 'ping', path };
  if (path === '_catalog') return { kind: 'catalog', path };
  const segments = path.split('/');
  if (segments.includes('')) {
    throw new BadRequestError('Empty path segments (//) are not allowed.', { part: 'path', value: path });
  }
  const last = segments[segments.length - 1]!;
  const action = segments[segments.length - 2];
  const repository = segments.slice(0, -2).join('/');
  const unknown = () =>
    new BadRequestError(`"${path}" is not a registry API path the proxy serves (manifests, blobs, tags/list, referrers, _catalog).`, {
      part: 'path',
      value: path,
    });
  if (segments.length < 3) throw unknown();

  if (action === 'tags' && last === 'list') {
    validateRepository(repository);
    return { kind: 'tags', path, repository };
  }
  if (action === 'manifests') {
    validateRepository(repository);
    if (last.includes(':')) validateDigest(last);
    else validateTag(last, 'tag');
    return { kind: 'manifest', path, repository, reference: last };
  }
  if (action === 'blobs' || action === 'referrers') {
    validateRepository(repository);
    validateDigest(last);
    return { kind: action === 'blobs' ? 'blob' : 'referrers', path, repository, reference: last };
  }
  throw unknown();
}

function validateRepository(name: string, part = 'repository'): void {
  if (name.length > NAME_MAX_LENGTH) {
    throw new BadRequestError(`Repository name is longer than ${NAME_MAX_LENGTH} characters.`, { part, value: name });
  }
  const bad = name.split('/').find((component) => !NAME_COMPONENT.test(component));
  if (bad === undefined) return;
  const why =
    bad !== bad.toLowerCase()
      ? 'repository names are lowercase'
      : 'each component is lowercase letters and digits, joined by ".", "_", "__" or "-"';
  throw new BadRequestError(`Repository name "${name}" is not valid: ${why}.`, { part, value: name });
}

function validateTag(tag: string, part: string): void {
  if (!TAG.test(tag)) {
    throw new BadRequestError(`Tag "${tag}" is not valid: up to 128 letters, digits, "_", "." and "-", not starting with "." or "-".`, {
      part,
      value: tag,
    });
  }
}

function validateDigest(digest: string): void {
  const algorithm = digest.slice(0, digest.indexOf(':'));
  const encoded = digest.slice(algorithm.length + 1);
  const registered = REGISTERED_DIGESTS[algorithm];
  if (!DIGEST.test(digest) || (registered !== undefined && !registered.test(encoded))) {
    throw new BadRequestError(`Digest "${digest}" is not valid: expected algorithm:encoded, e.g. sha256 with 64 lowercase hex digits.`, {
      part: 'digest',
      value: digest,
    });
  }
}

function isDigest(reference: string | undefined): boolean {
  return reference?.includes(':') ?? false;
}

/**
 * Documented parameters per endpoint (distribution-spec "Listing Tags", "Listing Referrers"),
 * plus `n` and `last` on referrers: the spec lets a registry page that list with a `Link` of
 * its own making, and registries that do use the same two names as for tags.
 */
const QUERY_PARAMETERS: Readonly<Record<ApiKind, readonly string[]>> = {
  ping: [],
  manifest: [],
  blob: [],
  tags: ['n', 'last'],
  catalog: ['n', 'last'],
  referrers: ['artifactType', 'n', 'last'],
};

function parseQuery(kind: ApiKind, query: URLSearchParams): URLSearchParams {
  const allowed = QUERY_PARAMETERS[kind];
  for (const name of new Set(query.keys())) {
    if (!allowed.includes(name)) {
      throw new BadRequestError(`Query parameter "${name}" is not accepted on this endpoint.`, {
        part: 'query',
        value: name,
      });
    }
    if (query.getAll(name).length > 1) {
      throw new BadRequestError(`Query parameter "${name}" is given more than once.`, { part: 'query', value: name });
    }
  }

  const search = new URLSearchParams();
  for (const name of allowed) {
    const value = query.get(name);
    if (value !== null) search.set(name, checkedQueryValue(kind, name, value));
  }
  return search;
}

function checkedQueryValue(kind: ApiKind, name: string, value: string): string {
  if (name === 'n') return String(clampPageSize(value));
  if (name === 'last') {
    if (kind === 'tags') validateTag(value, 'last');
    else if (kind === 'catalog') validateRepository(value, 'last');
    else validateCursor(value);
    return value;
  }
  if (!MEDIA_TYPE.test(value)) {
    throw new BadRequestError(`artifactType "${value}" is not a media type.`, { part: 'artifactType', value });
  }
  return value;
}

/** A referrers page cursor is the registry's own token (often a digest): visible ASCII, bounded; sent percent-encoded. */
function validateCursor(value: string): void {
  if (!/^[\x21-\x7e]{1,256}$/.test(value)) {
    throw new BadRequestError(`last="${value.slice(0, 64)}" is not a page cursor.`, { part: 'last', value: value.slice(0, 64) });
  }
}

function clampPageSize(value: string): number {
  if (!/^[0-9]{1,9}$/.test(value)) {
    throw new BadRequestError(`Page size n="${value}" is not a number.`, { part: 'n', value });
  }
  return Math.min(Math.max(Number(value), 1), PAGE_SIZE_MAX);
}
