/**
 * Starts the CNCF distribution registry that Debian packages (`docker-registry`, 2.8) on a free
 * loopback port with fresh temporary storage: the "real registry" of DESIGN.md "Tests that count".
 *
 * No auth and no TLS, because the suite tests our verification and browsing, not the registry's
 * login; deletes are enabled so specs may remove content. The storage directory is returned
 * because one seeded image is corrupted on disk behind the registry's back (see seed.ts).
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
}

export async function startRegistry(options: RegistryOptions = {}): Promise<RunningRegistry> {
  const workDir = await mkdtemp(join(tmpdir(), 'ociscope-registry-'));
  const storageDir = join(workDir, 'storage');
  const configPath = join(workDir, 'config.yml');
  const port = await freeLoopbackPort();
  const host = `127.0.0.1:${port}`;
  let htpasswdPath: string | undefined;
  if (options.htpasswd !== undefined) {
    htpasswdPath = join(workDir, 'htpasswd');
    await writeFile(htpasswdPath, options.htpasswd);
  }
  await writeFile(configPath, registryConfig(host, storageDir, htpasswdPath));

  const daemon = startDaemon('docker-registry', REGISTRY_BINARY, ['serve', configPath]);
  const url = `http://${host}`;
  const stop = async () => {
    await daemon.stop();
    await rm(workDir, { recursive: true, force: true });
  };
  try {
    await waitForHttp(daemon, `${url}/v2/`, {
      timeoutMs: options.readyTimeoutMs ?? 15_000,
      ...(htpasswdPath === undefined ? {} : { accept: (status: number) => status === 401 }),
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
function registryConfig(addr: string, storageDir: string, htpasswdPath?: string): string {
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
      ...(htpasswdPath === undefined ? {} : { auth: { htpasswd: { realm: 'ociscope-e2e', path: htpasswdPath } } }),
    },
    null,
    2,
  );
}
