/**
 * What global setup hands to the specs: where the registry and the app server listen, and what
 * was seeded. Setup writes it as JSON and puts the file's path in OCISCOPE_E2E_STATE, an
 * environment variable Playwright's worker processes inherit; the app's base URL also goes to
 * OCISCOPE_E2E_BASE_URL, which playwright.config.ts uses as `baseURL`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { FaultImage } from '../faults/fault-server.ts';
import type { PrivateImage } from '../registry/private-seed.ts';
import type { SeedResult } from '../registry/seed.ts';
import type { TokenRegistry } from '../registry/token-registry.ts';

export const E2E_STATE_ENV = 'OCISCOPE_E2E_STATE';
export const E2E_BASE_URL_ENV = 'OCISCOPE_E2E_BASE_URL';

export interface E2EState {
  registry: {
    /** `127.0.0.1:PORT`, as it appears in image references and proxy paths. */
    host: string;
    /** `http://127.0.0.1:PORT`, for talking to the registry without the proxy. */
    url: string;
    /** `127.0.0.1:PORT` of a relay to the same registry that ignores Range (faults/range-ignoring-relay.ts). */
    rangeIgnoringHost: string;
  };
  app: {
    /** `http://127.0.0.1:PORT`, no trailing slash; also Playwright's `baseURL`. */
    baseUrl: string;
  };
  /** The fault-injecting registry: `faults/<case>` repositories, each failing its own way. */
  faults: {
    /** `127.0.0.1:PORT` */
    host: string;
    /** The one image it serves when it does not fail (tag `v1`). */
    image: FaultImage;
  };
  /** The htpasswd registry; the app server holds credentials for `host` only. */
  authRegistry: {
    /** `127.0.0.1:PORT`, credentials configured in the app server. */
    host: string;
    /** `localhost:PORT`: the same registry under a host with no credentials configured. */
    unconfiguredHost: string;
    image: PrivateImage;
    /** The registry's only account, for the spec that enters it in the UI. */
    user: { name: string; password: string };
  };
  /**
   * The `auth: token` registry (behind a recording relay) and its token server: `public/…`
   * anyone may pull, `private/…` only `user`; the app server holds no credentials for it.
   */
  tokenRegistry: TokenRegistry;
  seed: SeedResult;
}

let cached: E2EState | undefined;

export function readE2EState(): E2EState {
  if (cached === undefined) {
    const path = process.env[E2E_STATE_ENV];
    if (path === undefined) {
      throw new Error(`${E2E_STATE_ENV} is not set: run the specs through playwright.config.ts so global setup runs`);
    }
    cached = JSON.parse(readFileSync(path, 'utf8')) as E2EState;
  }
  return cached;
}

export function writeE2EState(path: string, state: E2EState): void {
  writeFileSync(path, `${JSON.stringify(state, null, 2)}\n`);
  process.env[E2E_STATE_ENV] = path;
  process.env[E2E_BASE_URL_ENV] = state.app.baseUrl;
}

/** `/registry/<host>/v2/<apiPath>`: the app proxy's path for a registry API path (no leading `/`). */
export function proxyPath(apiPath: string, host: string = readE2EState().registry.host): string {
  return `/registry/${host}/v2/${apiPath}`;
}
