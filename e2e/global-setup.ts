/**
 * Playwright global setup: a real registry on loopback, seeded by our own script, a registry
 * that fails on purpose (faults/fault-server.ts, in this process: it is a few handlers), and the
 * real app server (`proxy/node-server.ts`, serving dist/ and /registry/*) allowed to reach both,
 * and a second real registry with htpasswd auth holding one private image: the app server gets
 * its credentials for `127.0.0.1:PORT` only, through OCISCOPE_REGISTRY_AUTH_FILE, while the same
 * registry reached as `localhost:PORT` (allowed too) is a host with no credentials configured.
 * A third registry wants Bearer tokens (`auth: token`) from the suite's own token server, also in
 * this process (registry/token-registry.ts); the app server may reach both it and the token
 * server, and holds no credentials for either: only a user typing them into the UI does.
 * Returns the teardown, which Playwright runs after the last test; the closure holds the
 * processes and temp dirs, so nothing has to be rediscovered from disk.
 *
 * The app runs as a child process rather than imported into the runner, as `npm run serve`
 * runs it in production: its output, crashes and event loop stay out of Playwright's.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFaultServer } from './faults/fault-server.ts';
import { startRangeIgnoringRelay } from './faults/range-ignoring-relay.ts';
import { htpasswdLine } from './registry/htpasswd.ts';
import { seedPrivateImage } from './registry/private-seed.ts';
import { startRegistry } from './registry/registry-server.ts';
import { seedRegistry } from './registry/seed.ts';
import { startTokenRegistry } from './registry/token-registry.ts';
import { freeLoopbackPort, runToCompletion, startDaemon, waitForHttp } from './support/processes.ts';
import { writeE2EState } from './support/state.ts';

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

export default async function globalSetup(): Promise<() => Promise<void>> {
  const startedAt = Date.now();
  const cleanups: (() => Promise<void>)[] = [];
  const teardown = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    const runDir = await mkdtemp(join(tmpdir(), 'ociscope-e2e-'));
    cleanups.push(() => rm(runDir, { recursive: true, force: true }));

    // The build is the slow part, so it overlaps with starting and seeding the registry.
    const user = 'ociscope';
    const password = randomBytes(12).toString('hex');
    const [registry, faults, authRegistry, tokenRegistry] = await Promise.all([
      startRegistry(),
      startFaultServer(),
      startRegistry({ htpasswd: htpasswdLine(user, password) }),
      startTokenRegistry(),
      buildAppIfNeeded(),
    ]);
    cleanups.push(registry.stop, faults.stop, authRegistry.stop, tokenRegistry.stop);
    const basic = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    const [seed, privateImage] = await Promise.all([
      seedRegistry(registry.host, { storageDir: registry.storageDir }),
      seedPrivateImage(authRegistry.url, basic),
    ]);
    const authFile = join(runDir, 'registry-auth.json');
    await writeFile(authFile, JSON.stringify({ auths: { [authRegistry.host]: { username: user, password } } }), {
      mode: 0o600,
    });
    const unconfiguredHost = authRegistry.host.replace('127.0.0.1', 'localhost');
    const rangeIgnoring = await startRangeIgnoringRelay(registry.host);
    cleanups.push(rangeIgnoring.stop);

    // The token server is a hop of its own (the challenges' realm), so it must be allowed too.
    const { host: tokenHost, tokenServerHost } = tokenRegistry.registry;
    const app = await startAppServer(
      [registry.host, faults.host, authRegistry.host, unconfiguredHost, tokenHost, tokenServerHost, rangeIgnoring.host],
      authFile,
    );
    cleanups.push(app.stop);

    writeE2EState(join(runDir, 'state.json'), {
      registry: { host: registry.host, url: registry.url, rangeIgnoringHost: rangeIgnoring.host },
      app: { baseUrl: app.baseUrl },
      faults: { host: faults.host, image: faults.image },
      authRegistry: { host: authRegistry.host, unconfiguredHost, image: privateImage, user: { name: user, password } },
      tokenRegistry: tokenRegistry.registry,
      seed,
    });
    process.stdout.write(`e2e: registry ${registry.host} seeded, app ${app.baseUrl}, ready in ${Date.now() - startedAt} ms\n`);
    return teardown;
  } catch (error) {
    await teardown();
    throw error;
  }
}

/** The test script builds first; this only covers running Playwright directly on a fresh tree. */
async function buildAppIfNeeded(): Promise<void> {
  if (process.env.OCISCOPE_E2E_BUILD !== '1' && existsSync(join(PROJECT_ROOT, 'dist/index.html'))) return;
  await runToCompletion(join(PROJECT_ROOT, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], {
    cwd: PROJECT_ROOT,
  });
}

async function startAppServer(allowHosts: string[], registryAuthFile: string): Promise<{ baseUrl: string; stop: () => Promise<void> }> {
  const port = await freeLoopbackPort();
  const daemon = startDaemon('app server', process.execPath, ['--import', 'tsx', 'proxy/node-server.ts'], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      OCISCOPE_ALLOW_HOSTS: allowHosts.join(','),
      OCISCOPE_REGISTRY_AUTH_FILE: registryAuthFile,
    },
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    // Any answer means it listens; whether pages and the proxy behave is for the specs to say.
    await waitForHttp(daemon, `${baseUrl}/`, { timeoutMs: 20_000, accept: () => true });
  } catch (error) {
    await daemon.stop();
    throw error;
  }
  return { baseUrl, stop: () => daemon.stop() };
}
