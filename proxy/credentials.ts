/**
 * Server-side registry credentials for self-hosted use (OCISCOPE_REGISTRY_AUTH_FILE).
 *
 * The file is a docker `config.json` (docker/cli "config file" format): `{"auths": {"<host>":
 * {"auth": base64(user:pass)} | {"username", "password"} | {"identitytoken"}}}`. Keys may be a
 * bare `host[:port]` or a URL (`https://index.docker.io/v1/`), whose host is taken; Docker's own
 * keys for Docker Hub stand for its API host, registry-1.docker.io. Credential helpers
 * (`credsStore`, `credHelpers`) are run by the Node server (credential-helpers.ts).
 *
 * Where a credential goes is decided per request in upstream-request.ts: to the host (and port)
 * it is configured for when that host challenges, and to the token realm named by that host's
 * own challenge, which is where the token spec has clients log in (auth.docker.io for Docker
 * Hub). A redirect target on another host gets nothing unless it has an entry of its own, and
 * nothing is sent over plain http except to a loopback host (local test registries), so a
 * redirect that downgrades the scheme cannot read them off the wire.
 *
 * Each credential carries an `id`: its host plus a SHA-256 fingerprint of the secret, so token
 * caches can tell credential identities apart without ever holding the secret in a key or log.
 * Note that anyone who can reach the proxy can read what these credentials can read; that is
 * the point of server-side credentials, and why the default listening address is loopback.
 */
import { DOCKER_HUB, DOCKER_HUB_API_HOST, DOCKER_HUB_LEGACY } from '../src/oci/spec/docker-hub.ts';

export type RegistryCredential =
  | { readonly kind: 'basic'; readonly id: string; readonly username: string; readonly password: string }
  | { readonly kind: 'identitytoken'; readonly id: string; readonly username?: string; readonly token: string };

/**
 * Server-side credentials by lowercased `host[:port]` (as in a proxy URL's upstream hop): the
 * file's `auths` as a Map, or a lookup that asks credential helpers (credential-helpers.ts).
 */
export interface RegistryCredentials {
  get(host: string): RegistryCredential | undefined | Promise<RegistryCredential | undefined>;
}

/** Docker's own config keys for the Hub all stand for its API host. */
const DOCKER_HUB_KEYS = new Set([DOCKER_HUB_LEGACY, DOCKER_HUB, DOCKER_HUB_API_HOST]);

/** Parses a docker config.json. Throws Error with a message naming the bad entry (never its secret). */
export async function parseDockerConfig(text: string): Promise<Map<string, RegistryCredential>> {
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch {
    throw new Error('registry auth file is not JSON');
  }
  const fields = (typeof config === 'object' && config !== null ? config : {}) as Record<string, unknown>;
  // A config that only names credential helpers (credential-helpers.ts) has no auths to read.
  const auths = fields['auths'] ?? (fields['credHelpers'] !== undefined || fields['credsStore'] !== undefined ? {} : undefined);
  if (typeof auths !== 'object' || auths === null)
    throw new Error('registry auth file has no "auths" object (nor credHelpers or credsStore)');

  const credentials = new Map<string, RegistryCredential>();
  for (const [key, entry] of Object.entries(auths as Record<string, unknown>)) {
    const host = registryHostOfKey(key);
    if (host === undefined) throw new Error(`registry auth file: "${key}" is not a host`);
    const credential = await credentialOf(host, entry);
    if (credential !== undefined) credentials.set(host, credential);
  }
  return credentials;
}

/** The host a docker config key stands for: Docker's Hub keys mean its API host. */
export function registryHostOfKey(key: string): string | undefined {
  const host = hostOf(key);
  return host !== undefined && DOCKER_HUB_KEYS.has(host) ? DOCKER_HUB_API_HOST : host;
}

function hostOf(key: string): string | undefined {
  const trimmed = key.trim();
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
    if (url.username !== '' || url.password !== '') return undefined;
    return url.host.toLowerCase();
  } catch {
    return undefined;
  }
}

async function credentialOf(host: string, entry: unknown): Promise<RegistryCredential | undefined> {
  if (typeof entry !== 'object' || entry === null) throw new Error(`registry auth file: entry for ${host} is not an object`);
  const fields = entry as Record<string, unknown>;
  const text = (name: string) => (typeof fields[name] === 'string' && fields[name] !== '' ? (fields[name] as string) : undefined);

  const identityToken = text('identitytoken');
  let username = text('username');
  let password = text('password');
  const auth = text('auth');
  if (auth !== undefined) {
    let decoded: string;
    try {
      decoded = atob(auth);
    } catch {
      throw new Error(`registry auth file: "auth" for ${host} is not base64`);
    }
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new Error(`registry auth file: "auth" for ${host} is not base64(user:password)`);
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  if (identityToken !== undefined) return identityTokenCredential(host, identityToken, username);
  if (username === undefined || password === undefined) return undefined;
  return basicCredential(host, username, password);
}

/** A user and password for `host`. Throws Error when they hold control characters (header injection). */
export async function basicCredential(host: string, username: string, password: string): Promise<RegistryCredential> {
  // Header values must not carry CR/LF; a user:pass with a control character is refused.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
  if (/[\x00-\x1f\x7f]/.test(username + password)) {
    throw new Error(`credentials for ${host} contain control characters`);
  }
  return { kind: 'basic', id: await fingerprint(host, `basic\n${username}\n${password}`), username, password };
}

/** An OAuth2 refresh token for `host` (docker's `identitytoken`). */
export async function identityTokenCredential(host: string, token: string, username?: string): Promise<RegistryCredential> {
  const id = await fingerprint(host, `identitytoken\n${token}`);
  return { kind: 'identitytoken', id, token, ...(username === undefined ? {} : { username }) };
}

async function fingerprint(host: string, secret: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${host}\n${secret}`));
  const hex = [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${host}#${hex.slice(0, 16)}`;
}

/** `Authorization: Basic …` for a user and password (RFC 7617, UTF-8). */
export function basicAuthorization(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}
