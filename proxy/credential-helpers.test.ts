import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHelperConfig, withCredentialHelpers, type HelperRunner } from './credential-helpers.ts';
import { basicAuthorization, parseDockerConfig } from './credentials.ts';
import { createProxyHandler } from './handler.ts';
import type { UpstreamFetch } from './upstream-fetch.ts';

const config = (value: unknown) => JSON.stringify(value);

/** A runner that answers from a table and records every call. */
function scriptedHelpers(answers: Record<string, Record<string, string>>) {
  const calls: string[] = [];
  const run: HelperRunner = async (name, serverUrl) => {
    calls.push(`${name} ${serverUrl}`);
    const answer = answers[name]?.[serverUrl];
    if (answer === undefined) throw new Error('credentials not found in native keychain');
    return answer;
  };
  return { run, calls };
}

const secret = (Username: string, Secret: string) => JSON.stringify({ ServerURL: 'x', Username, Secret });

async function credentialsFrom(text: string, run: HelperRunner, now = () => 0) {
  return withCredentialHelpers(await parseDockerConfig(text), parseHelperConfig(text), { run, now });
}

describe('parseHelperConfig', () => {
  it('reads credHelpers by host (Docker Hub keys as its API host) and credsStore', () => {
    const parsed = parseHelperConfig(
      config({ credsStore: 'desktop', credHelpers: { 'GCR.io': 'gcloud', 'https://index.docker.io/v1/': 'pass' } }),
    );
    expect(parsed.credsStore).toBe('desktop');
    expect([...parsed.credHelpers]).toEqual([
      ['gcr.io', 'gcloud'],
      ['registry-1.docker.io', 'pass'],
    ]);
  });

  it.each(['../../bin/sh', '/usr/bin/evil', 'a b', ''])('refuses a helper name that is not a plain name: %j', (name) => {
    expect(() => parseHelperConfig(config({ credHelpers: { 'gcr.io': name } }))).toThrow('not a credential helper name');
  });

  it('lets a config name only helpers, with no auths', async () => {
    await expect(parseDockerConfig(config({ credHelpers: { 'gcr.io': 'gcloud' } }))).resolves.toEqual(new Map());
  });
});

describe('withCredentialHelpers', () => {
  it('asks the credHelpers entry for its host first, then auths, then credsStore', async () => {
    const helpers = scriptedHelpers({
      ecr: { '123.dkr.ecr.example': secret('AWS', 'ecr-pass') },
      desktop: { 'quay.io': secret('bob', 'quay-pass'), 'ghcr.io': secret('never', 'used') },
    });
    const credentials = await credentialsFrom(
      config({
        credsStore: 'desktop',
        credHelpers: { '123.dkr.ecr.example': 'ecr' },
        auths: { 'ghcr.io': { username: 'alice', password: 'pw' }, 'quay.io': {} },
      }),
      helpers.run,
    );
    expect(await credentials.get('123.dkr.ecr.example')).toMatchObject({ kind: 'basic', username: 'AWS', password: 'ecr-pass' });
    expect(await credentials.get('ghcr.io')).toMatchObject({ kind: 'basic', username: 'alice', password: 'pw' });
    // An auths entry with no secret (how Docker Desktop records logins) defers to the store.
    expect(await credentials.get('quay.io')).toMatchObject({ kind: 'basic', username: 'bob', password: 'quay-pass' });
    expect(await credentials.get('unknown.example')).toBeUndefined();
    expect(helpers.calls).toEqual(['ecr 123.dkr.ecr.example', 'desktop quay.io', 'desktop unknown.example']);
  });

  it('asks for Docker Hub under the server URL docker stores it as', async () => {
    const helpers = scriptedHelpers({ desktop: { 'https://index.docker.io/v1/': secret('hubuser', 'hubpass') } });
    const credentials = await credentialsFrom(config({ credsStore: 'desktop' }), helpers.run);
    expect(await credentials.get('registry-1.docker.io')).toMatchObject({ username: 'hubuser' });
  });

  it('takes a <token> username as an identity token', async () => {
    const helpers = scriptedHelpers({ gcloud: { 'gcr.io': secret('<token>', 'refresh-me') } });
    const credentials = await credentialsFrom(config({ credHelpers: { 'gcr.io': 'gcloud' } }), helpers.run);
    expect(await credentials.get('gcr.io')).toMatchObject({ kind: 'identitytoken', token: 'refresh-me' });
  });

  it('reuses an answer, found or not, for a minute, then asks again (rotated passwords)', async () => {
    let password = 'first';
    const calls: string[] = [];
    const run: HelperRunner = async (_name, host) => {
      calls.push(host);
      if (host === 'none.example') throw new Error('not found');
      return secret('u', password);
    };
    let now = 0;
    const credentials = await credentialsFrom(config({ credsStore: 'desktop' }), run, () => now);
    await Promise.all([credentials.get('a.example'), credentials.get('a.example'), credentials.get('none.example')]);
    expect(await credentials.get('none.example')).toBeUndefined();
    expect(calls).toEqual(['a.example', 'none.example']);
    password = 'second';
    now = 60_001;
    expect(await credentials.get('a.example')).toMatchObject({ password: 'second' });
    expect(calls).toEqual(['a.example', 'none.example', 'a.example']);
  });

  it('treats malformed or injecting answers as no credential', async () => {
    const helpers = scriptedHelpers({
      h: { 'a.example': 'not json', 'b.example': secret('u', 'p\r\nX-Evil: 1'), 'c.example': secret('', 'p'), 'd.example': '{}' },
    });
    const credentials = await credentialsFrom(config({ credsStore: 'h' }), helpers.run);
    for (const host of ['a.example', 'b.example', 'c.example', 'd.example']) expect(await credentials.get(host)).toBeUndefined();
  });

  it('without helpers is the auths map itself', async () => {
    const auths = await parseDockerConfig(config({ auths: { 'a.example': { username: 'u', password: 'p' } } }));
    expect(withCredentialHelpers(auths, { credHelpers: new Map() })).toBe(auths);
  });
});

describe('a real helper program on PATH answers a registry challenge through the proxy', () => {
  let binDir: string;
  let savedPath: string | undefined;
  beforeAll(async () => {
    binDir = await mkdtemp(path.join(tmpdir(), 'ociscope-helper-'));
    // Answers only for private.example, as docker-credential-helpers do: exit 1 otherwise.
    const helper = path.join(binDir, 'docker-credential-ociscopetest');
    await writeFile(
      helper,
      '#!/bin/sh\n[ "$1" = get ] || exit 2\nread -r server\n' +
        'if [ "$server" = private.example ]; then printf \'{"ServerURL":"%s","Username":"carol","Secret":"from-helper"}\' "$server"; exit 0; fi\n' +
        'echo "credentials not found in native keychain"; exit 1\n',
    );
    await chmod(helper, 0o755);
    savedPath = process.env['PATH'];
    process.env['PATH'] = `${binDir}${path.delimiter}${savedPath ?? ''}`;
  });
  afterAll(async () => {
    process.env['PATH'] = savedPath;
    await rm(binDir, { recursive: true, force: true });
  });

  it('sends the helper’s credentials to the host that challenged, and the answer is private', async () => {
    const text = config({ credHelpers: { 'private.example': 'ociscopetest' }, credsStore: 'ociscopetest' });
    const credentials = withCredentialHelpers(await parseDockerConfig(text), parseHelperConfig(text));
    const expected = basicAuthorization('carol', 'from-helper');
    const seen: (string | null)[] = [];
    const fetch: UpstreamFetch = async (_url, init) => {
      const authorization = new Headers(init.headers).get('authorization');
      seen.push(authorization);
      if (authorization === expected)
        return new Response('{}', { headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' } });
      return new Response(null, { status: 401, headers: { 'www-authenticate': 'Basic realm="r"' } });
    };
    const handler = createProxyHandler({ fetch, credentials });
    const response = await handler(new Request('http://proxy.test/registry/private.example/v2/team/app/manifests/v1'));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, no-cache');
    expect(seen).toEqual([null, expected]);

    const other = await handler(new Request('http://proxy.test/registry/other.example/v2/team/app/manifests/v1'));
    expect(other.status).toBe(401);
  });
});
