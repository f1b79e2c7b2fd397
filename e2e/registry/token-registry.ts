/**
 * The token-auth registry of e2e/token-auth.spec.ts: a real distribution registry with
 * `auth: token`, the suite's token server (token-server.ts) as its realm, and a recording relay
 * (recording-relay.ts) in front of it, which is the address the app server is given. Seeded
 * through the distribution API with a push token from the token server, with two small real
 * images (a gzip tar layer built by GNU tar, a config, an OCI manifest): one under `public/`,
 * which anyone may pull, and one under `private/`, which only the reader account may.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pushBlob, pushManifest } from './push.ts';
import { startRecordingRelay } from './recording-relay.ts';
import { startRegistry } from './registry-server.ts';
import { buildLayer, SEED_TIME } from './tar-layer.ts';
import { startTokenServer, type TokenAccount } from './token-server.ts';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const OCI_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';

export interface TokenSeededImage {
  repo: string;
  tag: string;
  /** `<host>/<repo>:<tag>` with the relay's host, ready for `/?image=`. */
  ref: string;
  /** Of the manifest bytes as pushed. */
  digest: string;
  configDigest: string;
  layerDigest: string;
  /** The layer's one file, to open in the layer explorer. */
  file: { path: string; text: string };
}

export interface TokenRegistry {
  /** `127.0.0.1:PORT` of the relay: the registry as the app server and the browser see it. */
  host: string;
  /** The challenges' `service`. */
  service: string;
  /** `127.0.0.1:PORT` of the token server (the realm's host). */
  tokenServerHost: string;
  /** `http://127.0.0.1:PORT` of the token server; its request log is at TOKEN_LOG_PATH. */
  tokenServerUrl: string;
  /** `http://127.0.0.1:PORT` of the relay; its request log is at RELAY_LOG_PATH. */
  relayUrl: string;
  publicImage: TokenSeededImage;
  privateImage: TokenSeededImage;
  /** The account that may pull the private image, for the spec to type into the UI. */
  user: TokenAccount;
  /** The seeding account's name (its password stays in global setup). */
  pusherName: string;
}

export async function startTokenRegistry(): Promise<{ registry: TokenRegistry; stop: () => Promise<void> }> {
  const cleanups: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    const service = 'ociscope-e2e-token-registry';
    const user = { name: 'token-reader', password: randomBytes(12).toString('hex') };
    const pusher = { name: 'token-seeder', password: randomBytes(12).toString('hex') };
    const tokens = await startTokenServer({ service, issuer: 'ociscope-e2e-token-issuer', reader: user, pusher });
    cleanups.push(tokens.stop);
    const registry = await startRegistry({
      token: { realm: tokens.realm, service, issuer: 'ociscope-e2e-token-issuer', rootCertificatePem: tokens.certificatePem },
    });
    cleanups.push(registry.stop);
    const relay = await startRecordingRelay(registry.host);
    cleanups.push(relay.stop);

    const workDir = await mkdtemp(join(tmpdir(), 'ociscope-token-seed-'));
    cleanups.push(() => rm(workDir, { recursive: true, force: true }));
    // Seeding talks to the registry directly (the relay's log is for the app server's traffic),
    // and asks the token server for a push token over HTTP as `docker push` would.
    const push = async (repo: string, motd: string) =>
      pushImage(registry.url, relay.host, repo, workDir, motd, `Bearer ${await pushToken(tokens.realm, service, repo, pusher)}`);
    const [publicImage, privateImage] = await Promise.all([
      push('public/hello', 'Hello from a public repository of the token-auth registry.\n'),
      push('private/secret', 'Only the reader account may pull this.\n'),
    ]);
    return {
      registry: {
        host: relay.host,
        service,
        tokenServerHost: tokens.host,
        tokenServerUrl: tokens.url,
        relayUrl: relay.url,
        publicImage,
        privateImage,
        user,
        pusherName: pusher.name,
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function pushToken(realm: string, service: string, repo: string, account: TokenAccount): Promise<string> {
  const url = new URL(realm);
  url.searchParams.set('service', service);
  url.searchParams.set('scope', `repository:${repo}:pull,push`);
  url.searchParams.set('account', account.name);
  const response = await fetch(url, {
    headers: { authorization: `Basic ${Buffer.from(`${account.name}:${account.password}`).toString('base64')}` },
  });
  if (response.status !== 200) throw new Error(`token server refused the push token for ${repo}: HTTP ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

async function pushImage(
  registryUrl: string,
  host: string,
  repo: string,
  workDir: string,
  motd: string,
  authorization: string,
): Promise<TokenSeededImage> {
  const tag = 'v1';
  const headers = { authorization };
  const file = { path: 'etc/motd', text: motd };
  const layer = await buildLayer(workDir, repo.replace('/', '-'), [{ path: file.path, content: file.text }]);
  const config = Buffer.from(
    JSON.stringify({
      created: SEED_TIME,
      architecture: 'amd64',
      os: 'linux',
      config: { Cmd: ['/bin/cat', '/etc/motd'], Labels: { 'org.opencontainers.image.title': repo } },
      rootfs: { type: 'layers', diff_ids: [layer.diffId] },
      history: [{ created: SEED_TIME, created_by: 'COPY motd /etc/motd' }],
    }),
  );
  const layerBlob = await pushBlob(registryUrl, repo, layer.blob, headers);
  const configBlob = await pushBlob(registryUrl, repo, config, headers);
  const manifest = Buffer.from(
    JSON.stringify(
      {
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: OCI_CONFIG, ...configBlob },
        layers: [{ mediaType: OCI_LAYER_GZIP, ...layerBlob }],
      },
      null,
      2,
    ),
  );
  const pushed = await pushManifest(registryUrl, repo, tag, OCI_MANIFEST, manifest, headers);
  return {
    repo,
    tag,
    ref: `${host}/${repo}:${tag}`,
    digest: pushed.digest,
    configDigest: configBlob.digest,
    layerDigest: layerBlob.digest,
    file,
  };
}
