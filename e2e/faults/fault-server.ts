/**
 * A registry that misbehaves on purpose, for e2e/faults.spec.ts: a small standalone server on
 * 127.0.0.1 speaking enough of the distribution API (`/v2/`, manifests, blobs, tags) for the app
 * to browse one tiny image, where the repository name `faults/<case>` picks how it fails.
 *
 * Standalone rather than in front of the real registry so that each fault is exactly the bytes
 * and headers written here (a truncated body, a reset socket, a lying header cannot be produced
 * through a well-behaved upstream), and so global setup can start it in milliseconds, in
 * parallel with the real registry. The one image it serves is an OCI manifest with a JSON config
 * and no layers, enough to reach "verified" when nothing goes wrong.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from '../support/loopback-server.ts';
import { sha256Digest } from '../../src/test-support/digest.ts';

export const FAULT_CASES = [
  /** Content-Length says more than is sent, then the connection ends cleanly (FIN). */
  'truncated',
  /** Part of the body, then a TCP reset. */
  'reset',
  /** Headers, then no body ever. */
  'stall-body',
  /** The request is read and never answered. */
  'stall-headers',
  /** 401 with a Bearer challenge; the token endpoint issues tokens; still 401. */
  'auth-loop',
  /** 403 DENIED. */
  'denied',
  /** 404 NAME_UNKNOWN. */
  'name-unknown',
  /** 404 MANIFEST_UNKNOWN. */
  'manifest-unknown',
  /** 429 TOOMANYREQUESTS with Retry-After an hour away and Docker Hub rate-limit headers. */
  'rate-limited',
  /** 500 with a registry error body. */
  'error-500',
  /** 502 with an HTML page, as a load balancer in front of a registry sends. */
  'error-502-html',
  /** 503 in plain text with `Retry-After: 1`. */
  'error-503',
  /** 503 for the first FLAKY_FAILURES requests of each path, then the image. */
  'flaky-503',
  /** An OCI manifest served as a Docker schema 2 manifest (CVE-2021-41190 shape). */
  'content-type-lie',
  /** Docker-Content-Digest names other bytes. */
  'lying-digest',
  /** A manifest over the 4 MiB limit, sent without Content-Length so only counting catches it. */
  'oversized',
] as const;

export type FaultCase = (typeof FAULT_CASES)[number];

export const FLAKY_FAILURES = 2;

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

export interface FaultImage {
  manifestDigest: string;
  configDigest: string;
  configSize: number;
}

export interface RunningFaultServer {
  /** `127.0.0.1:PORT`, as in image references and OCISCOPE_ALLOW_HOSTS. */
  host: string;
  image: FaultImage;
  stop(): Promise<void>;
}

const config = Buffer.from(
  JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Cmd: ['/bin/true'] }, rootfs: { type: 'layers', diff_ids: [] } }),
);
const configDigest = sha256Digest(config);
const manifest = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_CONFIG, digest: configDigest, size: config.byteLength },
    layers: [],
    annotations: { 'org.opencontainers.image.title': 'ociscope fault image' },
  }),
);
const manifestDigest = sha256Digest(manifest);

function registryError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ errors: [{ code, message, detail: null }] });
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** The document a well-behaved registry would answer with, or undefined for a 404. */
function document(kind: string, reference: string): { body: Buffer; type: string } | undefined {
  if (kind === 'manifests' && (reference === 'v1' || reference === manifestDigest)) return { body: manifest, type: OCI_MANIFEST };
  if (kind === 'blobs' && reference === configDigest) return { body: config, type: OCI_CONFIG };
  if (kind === 'tags') return { body: Buffer.from(JSON.stringify({ name: 'faults', tags: ['v1'] })), type: 'application/json' };
  return undefined;
}

function serveDocument(res: ServerResponse, doc: { body: Buffer; type: string }, headers: Record<string, string> = {}): void {
  res.writeHead(200, {
    'Content-Type': doc.type,
    'Content-Length': doc.body.byteLength,
    'Docker-Content-Digest': sha256Digest(doc.body),
    ...headers,
  });
  res.end(doc.body);
}

export async function startFaultServer(): Promise<RunningFaultServer> {
  const failures = new Map<string, number>();
  let tokens = 0;
  let host = '';

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fault.invalid');
    res.setHeader('Docker-Distribution-API-Version', 'registry/2.0');
    if (url.pathname === '/token') {
      tokens += 1;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ token: `fault-token-${tokens}`, expires_in: 300 }));
      return;
    }
    if (url.pathname === '/v2/' || url.pathname === '/v2') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{}');
      return;
    }
    const match = /^\/v2\/faults\/([a-z0-9-]+)\/(manifests|blobs|tags)\/([^/]+)$/.exec(url.pathname);
    if (!match) return registryError(res, 404, 'NAME_UNKNOWN', 'repository name not known to registry');
    const [, fault, kind, reference] = match as unknown as [string, FaultCase, string, string];
    const doc = document(kind, reference);
    const notFound = () => registryError(res, 404, kind === 'blobs' ? 'BLOB_UNKNOWN' : 'MANIFEST_UNKNOWN', `${kind} unknown to registry`);

    switch (fault) {
      case 'truncated':
      case 'reset': {
        if (!doc) return notFound();
        res.writeHead(200, {
          'Content-Type': doc.type,
          'Content-Length': doc.body.byteLength + 1000,
          'Docker-Content-Digest': sha256Digest(doc.body),
        });
        // Flush the partial body before cutting, so the client has started reading when it breaks.
        res.write(doc.body.subarray(0, doc.body.byteLength >> 1), () => {
          if (fault === 'truncated') res.socket?.end();
          else res.socket?.resetAndDestroy();
        });
        return;
      }
      case 'stall-body':
        if (!doc) return notFound();
        res.writeHead(200, { 'Content-Type': doc.type, 'Content-Length': doc.body.byteLength });
        res.flushHeaders();
        return;
      case 'stall-headers':
        return;
      case 'auth-loop':
        res.writeHead(401, {
          'Content-Type': 'application/json',
          'WWW-Authenticate': `Bearer realm="http://${host}/token",service="fault-registry",scope="repository:faults/auth-loop:pull"`,
        });
        res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required', detail: null }] }));
        return;
      case 'denied':
        return registryError(res, 403, 'DENIED', 'requested access to the resource is denied');
      case 'name-unknown':
        return registryError(res, 404, 'NAME_UNKNOWN', 'repository name not known to registry');
      case 'manifest-unknown':
        return registryError(res, 404, 'MANIFEST_UNKNOWN', 'manifest unknown');
      case 'rate-limited':
        return registryError(res, 429, 'TOOMANYREQUESTS', 'You have reached your pull rate limit.', {
          'Retry-After': '3600',
          'RateLimit-Limit': '100;w=21600',
          'RateLimit-Remaining': '0;w=21600',
        });
      case 'error-500':
        return registryError(res, 500, 'UNKNOWN', 'unknown error');
      case 'error-502-html': {
        const page =
          '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>';
        res.writeHead(502, { 'Content-Type': 'text/html' });
        res.end(page);
        return;
      }
      case 'error-503':
        res.writeHead(503, { 'Content-Type': 'text/plain', 'Retry-After': '1' });
        res.end('Service Unavailable: registry is in read-only maintenance mode');
        return;
      case 'flaky-503': {
        const seen = failures.get(url.pathname) ?? 0;
        if (seen < FLAKY_FAILURES) {
          failures.set(url.pathname, seen + 1);
          res.writeHead(503, { 'Content-Type': 'text/plain' });
          res.end('Service Unavailable');
          return;
        }
        return doc ? serveDocument(res, doc) : notFound();
      }
      case 'content-type-lie':
        if (!doc) return notFound();
        return serveDocument(res, doc, kind === 'manifests' ? { 'Content-Type': DOCKER_MANIFEST } : {});
      case 'lying-digest':
        if (!doc) return notFound();
        return serveDocument(res, doc, { 'Docker-Content-Digest': sha256Digest(Buffer.from('some other manifest')) });
      case 'oversized': {
        if (kind !== 'manifests') return doc ? serveDocument(res, doc) : notFound();
        res.writeHead(200, { 'Content-Type': OCI_MANIFEST });
        const head = manifest.subarray(0, manifest.byteLength - 1);
        res.write(head);
        res.write(`,"padding":"${'x'.repeat(5 * 1024 * 1024)}"}`);
        res.end();
        return;
      }
      default:
        return registryError(res, 404, 'NAME_UNKNOWN', `no fault case "${String(fault)}"`);
    }
  }

  // Stalled requests never end by themselves; listenOnLoopback's stop closes them.
  const listening = await listenOnLoopback(createServer(handle));
  host = listening.host;
  return { host, image: { manifestDigest, configDigest, configSize: config.byteLength }, stop: listening.stop };
}
