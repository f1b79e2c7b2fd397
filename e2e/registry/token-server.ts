/**
 * A small token server for the distribution registry's `auth: token` (the Docker "Token
 * Authentication Specification"), run inside Playwright's global-setup process like the fault
 * server: `GET /token?service=…&scope=repository:NAME:pull[,push]&account=…`, with or without
 * `Authorization: Basic`, answers a signed JWT the registry accepts.
 *
 * Tokens: ES256 (ECDSA P-256) over `header.claims`, the signature as the raw r‖s pair JWS
 * wants. The key and a self-signed certificate for it come from the `openssl` CLI; the
 * certificate goes into the registry's `rootcertbundle` and, base64 DER, into each token's `x5c`
 * header, which registry 2.8 verifies against that bundle (a self-signed certificate that is
 * itself in the bundle is its own chain).
 *
 * Policy, chosen to look like a hosted registry's:
 * - anonymous: `pull` on repositories under `public/`, nothing else;
 * - the reader (the account a person types into the UI): `pull` everywhere;
 * - the pusher (global setup's seeding identity): `pull` and `push` everywhere;
 * - wrong credentials: 401. Asking for more than one may have is not an error: the token simply
 *   grants less (as the spec says), and the registry then answers 401 `insufficient_scope`.
 *
 * Every request is recorded (path, service, scopes, whether it had credentials and whose) and the
 * log is served at TOKEN_LOG_PATH, so specs running in Playwright's worker processes can assert
 * where credentials went.
 */
import { X509Certificate, createPrivateKey, randomUUID, sign, type KeyObject } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listenOnLoopback } from '../support/loopback-server.ts';
import { runToCompletion } from '../support/processes.ts';

export interface TokenAccount {
  name: string;
  password: string;
}

export interface TokenServerOptions {
  /** The registry's `auth.token.service`: every token's `aud`. */
  service: string;
  /** The registry's `auth.token.issuer`: every token's `iss`. */
  issuer: string;
  /** May pull anything. */
  reader: TokenAccount;
  /** May push and pull anything (seeding). */
  pusher: TokenAccount;
  /** Token lifetime; the default outlives any e2e run. */
  expiresInSeconds?: number;
}

/** One request the token server received, as the log at TOKEN_LOG_PATH lists it. */
export interface TokenRequestRecord {
  /** Milliseconds since the epoch. */
  at: number;
  method: string;
  path: string;
  service: string | null;
  scopes: string[];
  /** The `account` query parameter, if sent. */
  account: string | null;
  /** `none` without Authorization, `basic` for Basic, `other` for any other scheme. */
  credentials: 'none' | 'basic' | 'other';
  /** The user named in Basic credentials (whether or not the password was right). */
  user: string | null;
  /** 200 with a token, 401 for wrong credentials, 400/404/405 for requests it does not serve. */
  status: number;
  /** What the issued token grants, `repository:NAME:actions` (empty when refused). */
  granted: string[];
}

export interface RunningTokenServer {
  /** `127.0.0.1:PORT`, for OCISCOPE_ALLOW_HOSTS. */
  host: string;
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  /** `http://127.0.0.1:PORT/token`: the registry's `auth.token.realm`. */
  realm: string;
  /** PEM of the self-signed certificate of the signing key, for the registry's `rootcertbundle`. */
  certificatePem: string;
  stop(): Promise<void>;
}

/** The log endpoint; not under /v2/ or /token, so nothing but a spec asks for it. */
export const TOKEN_LOG_PATH = '/_requests';

const DEFAULT_EXPIRES_IN_SECONDS = 900;

export async function startTokenServer(options: TokenServerOptions): Promise<RunningTokenServer> {
  const workDir = await mkdtemp(join(tmpdir(), 'ociscope-token-'));
  let server: ReturnType<typeof createServer> | undefined;
  try {
    const { key, certificatePem, certificateDer } = await signingIdentity(workDir);
    const expiresIn = options.expiresInSeconds ?? DEFAULT_EXPIRES_IN_SECONDS;
    const log: TokenRequestRecord[] = [];

    const mint = (account: TokenAccount | undefined, scopes: readonly string[]) => {
      const granted = grantedAccess(account === undefined ? 'anonymous' : roleOf(options, account), scopes);
      const token = signToken(key, certificateDer, {
        iss: options.issuer,
        sub: account?.name ?? '',
        aud: options.service,
        ...timeClaims(expiresIn),
        jti: randomUUID(),
        access: granted,
      });
      return { token, granted };
    };

    const listening = createServer((req, res) => {
      try {
        handle(req, res);
      } catch (error) {
        // A bug here must show up as a failed request in the spec, not kill the runner.
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      }
    });

    const handle = (req: IncomingMessage, res: ServerResponse): void => {
      const url = new URL(req.url ?? '/', 'http://token.invalid');
      if (url.pathname === TOKEN_LOG_PATH) return json(res, 200, log);

      const presented = presentedCredentials(req.headers.authorization);
      const record: TokenRequestRecord = {
        at: Date.now(),
        method: req.method ?? '',
        path: url.pathname,
        service: url.searchParams.get('service'),
        scopes: url.searchParams.getAll('scope'),
        account: url.searchParams.get('account'),
        credentials: presented.kind,
        user: presented.user,
        status: 0,
        granted: [],
      };
      log.push(record);
      const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        record.status = status;
        json(res, status, body, headers);
      };

      if (url.pathname !== '/token') return answer(404, { details: 'not found' });
      if (req.method !== 'GET') return answer(405, { details: 'only GET is served' }, { allow: 'GET' });
      if (record.service !== options.service) return answer(400, { details: `unknown service ${record.service}` });
      if (presented.kind === 'other') return answer(401, { details: 'only Basic credentials are accepted' });

      let account: TokenAccount | undefined;
      if (presented.kind === 'basic') {
        account = [options.reader, options.pusher].find(
          (candidate) => candidate.name === presented.user && candidate.password === presented.password,
        );
        // Wrong credentials are an error; merely asking for more than one may have is not.
        if (account === undefined) {
          return answer(401, { details: 'invalid username or password' }, { 'www-authenticate': 'Basic realm="ociscope-e2e-token"' });
        }
      }
      const { token, granted } = mint(account, record.scopes);
      record.granted = granted.map((access) => `${access.type}:${access.name}:${access.actions.join(',')}`);
      answer(200, { token, access_token: token, expires_in: expiresIn, issued_at: new Date().toISOString() });
    };

    server = listening;
    const loopback = await listenOnLoopback(listening);
    return {
      host: loopback.host,
      url: loopback.url,
      realm: `${loopback.url}/token`,
      certificatePem,
      stop: async () => {
        await loopback.stop();
        await rm(workDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    server?.close();
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
}

type Role = 'anonymous' | 'reader' | 'pusher';

interface ResourceActions {
  type: 'repository';
  name: string;
  actions: string[];
}

function roleOf(options: TokenServerOptions, account: TokenAccount): Role {
  return account.name === options.pusher.name ? 'pusher' : 'reader';
}

/** What `role` may do of what `scopes` ask for; unknown types and actions are dropped. */
function grantedAccess(role: Role, scopes: readonly string[]): ResourceActions[] {
  const granted: ResourceActions[] = [];
  for (const scope of scopes) {
    // `repository:NAME:actions`: the name sits between the first and the last colon.
    const first = scope.indexOf(':');
    const last = scope.lastIndexOf(':');
    if (first < 0 || last <= first || scope.slice(0, first) !== 'repository') continue;
    const name = scope.slice(first + 1, last);
    const allowed = new Set(role === 'pusher' ? ['pull', 'push'] : role === 'reader' || name.startsWith('public/') ? ['pull'] : []);
    const actions = scope
      .slice(last + 1)
      .split(',')
      .filter((action) => allowed.has(action));
    if (actions.length > 0) granted.push({ type: 'repository', name, actions });
  }
  return granted;
}

function timeClaims(expiresIn: number): { exp: number; nbf: number; iat: number } {
  const now = Math.floor(Date.now() / 1000);
  return { iat: now, nbf: now, exp: now + expiresIn };
}

function presentedCredentials(
  header: string | undefined,
): { kind: 'none' | 'other'; user: null; password?: undefined } | { kind: 'basic'; user: string; password: string } {
  if (header === undefined) return { kind: 'none', user: null };
  const match = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (match === null) return { kind: 'other', user: null };
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return { kind: 'other', user: null };
  return { kind: 'basic', user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

const base64url = (bytes: Buffer | string): string => Buffer.from(bytes).toString('base64url');

/** A compact JWS: header with `x5c`, the claims, and an ES256 signature in JOSE's r‖s form. */
function signToken(key: KeyObject, certificateDer: Buffer, claims: object): string {
  const header = { typ: 'JWT', alg: 'ES256', x5c: [certificateDer.toString('base64')] };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = sign('sha256', Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' });
  return `${signingInput}.${base64url(signature)}`;
}

/** A fresh P-256 key and a self-signed certificate for it, made by openssl in `workDir`. */
async function signingIdentity(workDir: string): Promise<{ key: KeyObject; certificatePem: string; certificateDer: Buffer }> {
  const keyPath = join(workDir, 'token-key.pem');
  const certPath = join(workDir, 'token-cert.pem');
  await runToCompletion('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-subj',
    '/CN=ociscope-e2e-token-issuer',
    '-days',
    '2',
    '-keyout',
    keyPath,
    '-out',
    certPath,
  ]);
  const certificatePem = await readFile(certPath, 'utf8');
  return {
    key: createPrivateKey(await readFile(keyPath)),
    certificatePem,
    certificateDer: Buffer.from(new X509Certificate(certificatePem).raw),
  };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
