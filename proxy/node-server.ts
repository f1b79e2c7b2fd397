/**
 * The Node entry point: one process serving the built SPA and the registry proxy.
 *
 * `/registry/*` goes to the Web-standard proxy handler (handler.ts) with the DNS-checking
 * upstream fetch (node-fetch.ts); every other path is the SPA from `dist/`. Files that exist
 * are served with their content type (`.js` module workers as text/javascript, `.wasm` as
 * application/wasm, which `WebAssembly.instantiateStreaming` insists on); any other path gets
 * `index.html`, because the app's deep links (`/?image=…`, `/fs/<repo>@<digest>/…`) are routes
 * of the SPA, not files. Vite puts content-hashed files under `/assets/`, so those may be cached
 * for a year, while `index.html`, which names them, is revalidated every time. The build's
 * brotli and gzip copies go to clients that accept them (precompressed-static.ts).
 *
 * Every app response carries a Content-Security-Policy (APP_CONTENT_SECURITY_POLICY): registry
 * documents are attacker-written text on our pages, so even if one ever reached the DOM as
 * markup it could not run. Workers take their policy from their own script's response, which
 * is why it goes on the assets too and not only on `index.html`.
 *
 * Run: `npx tsx proxy/node-server.ts` (or `npm run serve`). Environment:
 *   PORT                  listening port, default 8080
 *   HOST                  listening address, default 127.0.0.1: a proxy that fetches any
 *                         public URL for anyone is not exposed to the network by accident;
 *                         set HOST=0.0.0.0 (e.g. in a container) to serve others
 *   OCISCOPE_ALLOW_HOSTS  comma-separated host:port registries exempt from the address policy,
 *                         e.g. `127.0.0.1:5000,localhost:5000` for a local test registry
 *   OCISCOPE_DIST         the built SPA, default `<repo>/dist`
 *   OCISCOPE_REGISTRY_AUTH_FILE
 *                         a docker config.json (`{"auths": {"host:port": {"auth": …}}}`) read
 *                         once at start: server-side registry credentials, each sent only to
 *                         the host it names and the token realm that host's own challenge
 *                         names (proxy/upstream-request.ts); its credHelpers and
 *                         credsStore are run as docker runs them (credential-helpers.ts).
 *                         Anyone who can reach this server can read what they can read.
 *   OCISCOPE_UPSTREAM_CONNECT_TIMEOUT_MS, OCISCOPE_UPSTREAM_HEADERS_TIMEOUT_MS,
 *   OCISCOPE_UPSTREAM_BODY_TIMEOUT_MS
 *                         how long a registry may take to accept a connection, to send its
 *                         response headers, and to pause between body chunks (defaults 10 s,
 *                         30 s, 60 s; node-fetch.ts). Lower them where registries are near and
 *                         a stalled one should fail fast; raise them for slow links.
 */
import { createAdaptorServer, type HttpBindings } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono, type Context } from 'hono';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { MethodNotAllowedError, errorResponse } from './errors.ts';
import { parseHelperConfig, withCredentialHelpers } from './credential-helpers.ts';
import { parseDockerConfig } from './credentials.ts';
import { precompressedAnswer, precompressedStatic } from './precompressed-static.ts';
import { createProxyHandler, type ProxyHandler } from './handler.ts';
import { createNodeFetch, type NodeTimeouts } from './node-fetch.ts';
import { relayToNode, takeNodeBody } from './node-relay.ts';
import type { UpstreamFetch } from './upstream-fetch.ts';

export interface ServerOptions {
  /** 0 picks a free port. Default 8080. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly hostname?: string;
  readonly allowHosts?: readonly string[];
  /** Directory of the built SPA. Default `<repo>/dist`. */
  readonly distDir?: string;
  /** A docker config.json with server-side registry credentials, read at start. */
  readonly registryAuthFile?: string;
  /** Replaces the Node upstream fetch (tests). */
  readonly upstream?: UpstreamFetch;
  /** Upstream connect, headers and body-idle timeouts; node-fetch.ts DEFAULT_TIMEOUTS for any left out. */
  readonly upstreamTimeouts?: Partial<NodeTimeouts>;
}

export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and closes upstream connections. */
  close(): Promise<void>;
}

const DEFAULT_PORT = 8080;
const DEFAULT_HOSTNAME = '127.0.0.1';
const DEFAULT_DIST = fileURLToPath(new URL('../dist', import.meta.url));

const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * CSP Level 3 for the SPA: only our own scripts and workers (Vite emits them as files under
 * /assets, none inline), WebAssembly compiled from bytes ('wasm-unsafe-eval': hash-wasm builds
 * its hashers from an inline base64 module; plain eval stays off), fetches to our own proxy,
 * images from blob: (file previews) and data:, no plugins, no <base>, no framing.
 */
export const APP_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' blob: data:",
  "style-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** On every response of the app (not the proxy, which sends its own stricter set). */
export const APP_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': APP_CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** The hono app: proxy under `/registry`, the SPA from `distDir` everywhere else. */
export function createApp(options: { readonly proxy: ProxyHandler; readonly distDir: string }): Hono<{ Bindings: Partial<HttpBindings> }> {
  const app = new Hono<{ Bindings: Partial<HttpBindings> }>();
  app.all('/registry', (c) => answerProxied(options.proxy, c));
  app.all('/registry/*', (c) => answerProxied(options.proxy, c));
  app.onError((error, c) => {
    // A browser that navigated away aborts its request; nobody is left to answer or to alarm.
    if (!c.req.raw.signal.aborted) console.error(error);
    return c.text('Internal Server Error', 500);
  });

  app.use('*', async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(APP_SECURITY_HEADERS)) c.header(name, value);
    if (!c.res.ok) return;
    c.header('Cache-Control', c.req.path.startsWith('/assets/') ? IMMUTABLE : 'no-cache');
  });
  app.use('*', precompressedStatic(options.distDir));
  app.use('*', serveStatic({ root: options.distDir }));
  app.get('*', async (c) => {
    if (c.req.path.startsWith('/assets/')) return c.notFound();
    const compressed = await precompressedAnswer(c, path.join(options.distDir, 'index.html'));
    if (compressed) return compressed;
    let html: Buffer;
    try {
      html = await readFile(path.join(options.distDir, 'index.html'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return c.text(`ociscope is not built: no index.html in ${options.distDir} (run npm run build).`, 404);
    }
    return c.html(html.toString('utf8'));
  });
  return app;
}

/**
 * The proxy's answer, with the Node fast path (node-relay.ts): a body that is still the upstream's
 * untouched Node stream is piped straight into Node's response, and hono is told it was sent.
 * Anything else (buffered manifests, errors, no Node response as under `app.request`) goes back
 * to hono as the Response it is.
 */
async function answerProxied(proxy: ProxyHandler, c: Context<{ Bindings: Partial<HttpBindings> }>): Promise<Response> {
  const response = await proxy(c.req.raw);
  const outgoing = c.env?.outgoing;
  if (outgoing === undefined) return response;
  const body = takeNodeBody(response.body);
  if (body === undefined) return response;
  await relayToNode(response.status, response.headers, body, outgoing);
  return RESPONSE_ALREADY_SENT;
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const hostname = options.hostname ?? DEFAULT_HOSTNAME;
  const allowHosts = options.allowHosts ?? [];
  const credentials = options.registryAuthFile === undefined ? undefined : await loadRegistryAuthFile(options.registryAuthFile);
  const nodeUpstream = createNodeFetch({
    allowHosts,
    ...(options.upstreamTimeouts === undefined ? {} : { timeouts: options.upstreamTimeouts }),
  });
  const proxy = createProxyHandler({
    fetch: options.upstream ?? nodeUpstream.fetch,
    allowHosts,
    ...(credentials === undefined ? {} : { credentials }),
  });
  const app = createApp({ proxy, distDir: options.distDir ?? DEFAULT_DIST });

  const server = createAdaptorServer({ fetch: app.fetch, hostname });
  // Node hands CONNECT to 'connect' listeners, never to the request handler, and silently drops
  // the socket when there is none; answer it like any other method the proxy refuses.
  server.on('connect', (_request: unknown, socket: Duplex) => {
    refuseTunnel(socket).catch((error: unknown) => socket.destroy(error as Error));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, hostname, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = hostname.includes(':') ? `[${hostname}]` : hostname;

  return {
    url: `http://${host}:${port}`,
    port,
    async close() {
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      await nodeUpstream.close();
    },
  };
}

/** Throws an Error naming the file (never a secret) when it cannot be read or parsed. */
async function loadRegistryAuthFile(file: string) {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`OCISCOPE_REGISTRY_AUTH_FILE ${file}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
  try {
    return withCredentialHelpers(await parseDockerConfig(text), parseHelperConfig(text));
  } catch (error) {
    throw new Error(`OCISCOPE_REGISTRY_AUTH_FILE ${file}: ${(error as Error).message}`);
  }
}

async function refuseTunnel(socket: Duplex): Promise<void> {
  const response = errorResponse(new MethodNotAllowedError('CONNECT'));
  const body = await response.text();
  const head = [
    'HTTP/1.1 405 Method Not Allowed',
    'Content-Type: application/json',
    'Allow: GET, HEAD, OPTIONS',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}

const TIMEOUT_VARIABLES: Readonly<Record<keyof NodeTimeouts, string>> = {
  connectMs: 'OCISCOPE_UPSTREAM_CONNECT_TIMEOUT_MS',
  headersMs: 'OCISCOPE_UPSTREAM_HEADERS_TIMEOUT_MS',
  bodyIdleMs: 'OCISCOPE_UPSTREAM_BODY_TIMEOUT_MS',
};

/** The timeouts set in the environment; RangeError names a variable that is not a positive whole number of ms. */
function upstreamTimeoutsFromEnv(env: NodeJS.ProcessEnv): Partial<NodeTimeouts> {
  const timeouts: Partial<Record<keyof NodeTimeouts, number>> = {};
  for (const [key, name] of Object.entries(TIMEOUT_VARIABLES) as [keyof NodeTimeouts, string][]) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value <= 0) {
      throw new RangeError(`${name} "${raw}" is not a positive number of milliseconds.`);
    }
    timeouts[key] = value;
  }
  return timeouts;
}

/**
 * Reads PORT, HOST, OCISCOPE_ALLOW_HOSTS, OCISCOPE_DIST, OCISCOPE_REGISTRY_AUTH_FILE and the
 * OCISCOPE_UPSTREAM_*_TIMEOUT_MS variables. Throws RangeError on a bad PORT or timeout.
 */
export function serverOptionsFromEnv(env: NodeJS.ProcessEnv): ServerOptions {
  const port = env['PORT'] === undefined || env['PORT'] === '' ? DEFAULT_PORT : Number(env['PORT']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`PORT "${env['PORT']}" is not a port number.`);
  }
  const allowHosts = (env['OCISCOPE_ALLOW_HOSTS'] ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  return {
    port,
    hostname: env['HOST'] || DEFAULT_HOSTNAME,
    allowHosts,
    distDir: env['OCISCOPE_DIST'] || DEFAULT_DIST,
    ...(env['OCISCOPE_REGISTRY_AUTH_FILE'] ? { registryAuthFile: env['OCISCOPE_REGISTRY_AUTH_FILE'] } : {}),
    upstreamTimeouts: upstreamTimeoutsFromEnv(env),
  };
}

async function main(): Promise<void> {
  const server = await startServer(serverOptionsFromEnv(process.env));
  console.log(`ociscope listening on ${server.url}`);
  const stop = (): void => {
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
