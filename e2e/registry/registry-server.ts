/**
 * Starts the CNCF distribution registry that Debian packages (`docker-registry`, 2.8) on a free
 * loopback port with fresh temporary storage: the "real registry" of DESIGN.md "Tests that count".
 *
 * No TLS; no auth by default, because most specs test our verification and browsing, not the
 * registry's login. Two auth modes exist for the specs that do: `htpasswd` (Basic) and `token`
 * (Bearer tokens from a token server, see token-server.ts). Deletes are enabled so specs may
 * remove content. The storage directory is returned because one seeded image is corrupted on
 * disk behind the registry's back (see seed.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort, startDaemon, waitForHttp } from '../support/processes.ts';

export interface RunningRegistry {
  /** `127.0.0.1:PORT`, the registry part of an image reference. */
  host: string;
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  /** Root of the filesystem storage driver. */
  storageDir: string;
  stop(): Promise<void>;
}

const REGISTRY_BINARY = '/usr/bin/docker-registry';

export interface RegistryOptions {
  readyTimeoutMs?: number;
  /** Lines of an htpasswd file (bcrypt, see htpasswd.ts): the registry then wants Basic auth. */
  htpasswd?: string;
  /** `auth: token`: the registry then wants Bearer tokens from `realm`. */
  token?: TokenAuthOptions;
}

export interface TokenAuthOptions {
  /** The token endpoint the registry's challenges name. */
  realm: string;
  /** The challenges' `service`; tokens must carry it as `aud`. */
  service: string;
  /** Tokens must carry it as `iss`. */
  issuer: string;
  /** PEM certificate(s) the token signer's `x5c` chain must verify against. */
  rootCertificatePem: string;
}

/** The `auth` section of the registry's config. */
type AuthConfig =
  { htpasswd: { realm: string; path: string } } | { token: Omit<TokenAuthOptions, 'rootCertificatePem'> & { rootcertbundle: string } };

export async function startRegistry(options: RegistryOptions = {}): Promise<RunningRegistry> {
  const workDir = await mkdtemp(join(tmpdir(), 'ociscope-registry-'));
  const storageDir = join(workDir, 'storage');
  const configPath = join(workDir, 'config.yml');
  const port = await freeLoopbackPort();
  const host = `127.0.0.1:${port}`;
  let auth: AuthConfig | undefined;
  if (options.htpasswd !== undefined && options.token !== undefined) throw new Error('a registry has one auth mode');
  if (options.htpasswd !== undefined) {
    const path = join(workDir, 'htpasswd');
    await writeFile(path, options.htpasswd);
    auth = { htpasswd: { realm: 'ociscope-e2e', path } };
  }
  if (options.token !== undefined) {
    const { rootCertificatePem, ...token } = options.token;
    const rootcertbundle = join(workDir, 'token-root-certs.pem');
    await writeFile(rootcertbundle, rootCertificatePem);
    auth = { token: { ...token, rootcertbundle } };
  }
  await writeFile(configPath, registryConfig(host, storageDir, auth));

  const daemon = startDaemon('docker-registry', REGISTRY_BINARY, ['serve', configPath]);
  const url = `http://${host}`;
  const stop = async () => {
    await daemon.stop();
    await rm(workDir, { recursive: true, force: true });
  };
  try {
    await waitForHttp(daemon, `${url}/v2/`, {
      timeoutMs: options.readyTimeoutMs ?? 15_000,
      // With auth, the unauthenticated /v2/ check is a 401 challenge once it is up.
      ...(auth === undefined ? {} : { accept: (status: number) => status === 401 }),
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { host, url, storageDir, stop };
}

/**
 * JSON is valid YAML, so the config is written as JSON and needs no YAML library.
 * - `http.secret` is set because without it the registry warns on every start.
 * - Access logs go to stdout regardless of `log.level`; they are noise here.
 * - Upload purging is a background sweeper we have no use for in a short-lived registry.
 */
function registryConfig(addr: string, storageDir: string, auth?: AuthConfig): string {
  return JSON.stringify(
    {
      version: 0.1,
      log: { level: 'warn', accesslog: { disabled: true } },
      storage: {
        filesystem: { rootdirectory: storageDir },
        delete: { enabled: true },
        maintenance: { uploadpurging: { enabled: false } },
      },
      http: { addr, secret: randomBytes(16).toString('hex') },
      ...(auth === undefined ? {} : { auth }),
    },
    null,
    2,
  );
}
