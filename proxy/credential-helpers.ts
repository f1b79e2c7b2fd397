/**
 * Docker credential helpers for the Node server's OCISCOPE_REGISTRY_AUTH_FILE: the file's
 * `credHelpers` (`{"<host>": "<name>"}`, one helper per registry) and `credsStore` (one helper
 * for every registry), as docker/cli reads them. A helper is the program
 * `docker-credential-<name>` on PATH, run as `docker-credential-<name> get` with the registry's
 * server URL on stdin; it prints `{"ServerURL", "Username", "Secret"}`, where a Username of
 * `<token>` means Secret is an identity token (docker-credential-helpers' protocol). A helper
 * that exits non-zero (its "credentials not found in native keychain") has nothing for the host.
 *
 * Which answers first, per host: its `credHelpers` entry, then an `auths` entry that holds a
 * secret, then `credsStore`. A helper is asked only when a registry challenges and the credential
 * could be sent (credentials.ts rules), with no shell (execFile), the helper's name checked so it
 * cannot name a path, and a deadline. Answers, found or not, are reused for a minute, so a page
 * that makes fifty requests runs the helper once, while credentials a helper rotates (cloud
 * registries hand out 12-hour passwords) are picked up without a restart.
 */
import { execFile } from 'node:child_process';
import {
  basicCredential,
  identityTokenCredential,
  registryHostOfKey,
  type RegistryCredential,
  type RegistryCredentials,
} from './credentials.ts';
import { DOCKER_HUB_API_HOST } from '../src/oci/spec/docker-hub.ts';

/** Runs `docker-credential-<name> get` with `serverUrl` on stdin; resolves stdout, rejects on failure. */
export type HelperRunner = (name: string, serverUrl: string) => Promise<string>;

export interface HelperConfig {
  readonly credsStore?: string;
  /** Helper name by lowercased registry host[:port]. */
  readonly credHelpers: ReadonlyMap<string, string>;
}

export interface HelperCredentialOptions {
  readonly run?: HelperRunner;
  readonly now?: () => number;
  /** How long an answer (found or not) is reused. Default 60 s. */
  readonly reuseMs?: number;
}

const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const HELPER_TIMEOUT_MS = 10_000;
const HELPER_OUTPUT_LIMIT = 64 * 1024;
const DEFAULT_REUSE_MS = 60_000;
/** What docker/cli stores Docker Hub under, and so what a helper is asked for it. */
const DOCKER_HUB_SERVER_URL = 'https://index.docker.io/v1/';
const IDENTITY_TOKEN_USERNAME = '<token>';

/** `credsStore` and `credHelpers` of a docker config.json. Throws Error naming a bad entry. */
export function parseHelperConfig(text: string): HelperConfig {
  const config = JSON.parse(text) as { credsStore?: unknown; credHelpers?: unknown } | null;
  const credHelpers = new Map<string, string>();
  const helperName = (value: unknown, where: string): string => {
    if (typeof value !== 'string' || !HELPER_NAME.test(value)) throw new Error(`${where} is not a credential helper name`);
    return value;
  };
  if (typeof config?.credHelpers === 'object' && config.credHelpers !== null) {
    for (const [key, value] of Object.entries(config.credHelpers as Record<string, unknown>)) {
      const host = registryHostOfKey(key);
      if (host === undefined) throw new Error(`credHelpers: "${key}" is not a host`);
      credHelpers.set(host, helperName(value, `credHelpers["${key}"]`));
    }
  }
  const store = config?.credsStore;
  return store === undefined || store === '' ? { credHelpers } : { credsStore: helperName(store, 'credsStore'), credHelpers };
}

/**
 * Server-side credentials from the file's `auths` (already parsed) and its helpers. Without
 * helpers configured this is just the `auths` map.
 */
export function withCredentialHelpers(
  auths: ReadonlyMap<string, RegistryCredential>,
  helpers: HelperConfig,
  options: HelperCredentialOptions = {},
): RegistryCredentials {
  if (helpers.credsStore === undefined && helpers.credHelpers.size === 0) return auths;
  const run = options.run ?? runHelper;
  const now = options.now ?? Date.now;
  const reuseMs = options.reuseMs ?? DEFAULT_REUSE_MS;
  const answers = new Map<string, { credential: Promise<RegistryCredential | undefined>; until: number }>();

  const ask = async (name: string, host: string): Promise<RegistryCredential | undefined> => {
    let output: string;
    try {
      output = await run(name, host === DOCKER_HUB_API_HOST ? DOCKER_HUB_SERVER_URL : host);
    } catch {
      return undefined; // "not found", a missing helper, a timeout: no credential for this host
    }
    return credentialOfHelperAnswer(host, output, name);
  };

  return {
    get(host) {
      const helper = helpers.credHelpers.get(host);
      if (helper === undefined) {
        const configured = auths.get(host);
        if (configured !== undefined || helpers.credsStore === undefined) return configured;
      }
      const name = helper ?? helpers.credsStore!;
      const reused = answers.get(host);
      if (reused !== undefined && reused.until > now()) return reused.credential;
      for (const [key, answer] of answers) if (answer.until <= now()) answers.delete(key);
      const credential = ask(name, host);
      answers.set(host, { credential, until: now() + reuseMs });
      return credential;
    },
  };
}

/** A helper's JSON answer as a credential; a malformed one is no credential, and says so on stderr. */
async function credentialOfHelperAnswer(host: string, output: string, helper: string): Promise<RegistryCredential | undefined> {
  try {
    const answer = JSON.parse(output) as { Username?: unknown; Secret?: unknown } | null;
    const username = typeof answer?.Username === 'string' ? answer.Username : '';
    const secret = typeof answer?.Secret === 'string' ? answer.Secret : '';
    if (secret === '') return undefined;
    if (username === IDENTITY_TOKEN_USERNAME) return await identityTokenCredential(host, secret);
    if (username === '') return undefined;
    return await basicCredential(host, username, secret);
  } catch (error) {
    // Never the output itself: it holds the secret.
    console.error(
      `docker-credential-${helper}: unusable answer for ${host} (${error instanceof SyntaxError ? 'not JSON' : (error as Error).message})`,
    );
    return undefined;
  }
}

const runHelper: HelperRunner = (name, serverUrl) =>
  new Promise((resolve, reject) => {
    const child = execFile(
      `docker-credential-${name}`,
      ['get'],
      { timeout: HELPER_TIMEOUT_MS, maxBuffer: HELPER_OUTPUT_LIMIT, windowsHide: true },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    );
    child.stdin?.end(serverUrl);
  });
