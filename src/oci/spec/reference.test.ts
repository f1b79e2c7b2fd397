import { describe, it, expect } from 'vitest';
import {
  InvalidReferenceError,
  formatReference,
  formatRepository,
  isDigest,
  parseReference,
  parseRepository,
  withDigest,
  type ImageReference,
  type ReferenceRule,
} from './reference.ts';

// sha256 and sha512 of the empty input: real digests, recognisable in failures.
const SHA256_HEX = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const SHA512_HEX =
  'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e';
const SHA256 = `sha256:${SHA256_HEX}`;
const SHA512 = `sha512:${SHA512_HEX}`;

const TAG_128 = `v${'1'.repeat(127)}`;
const TAG_129 = `v${'1'.repeat(128)}`;
const PATH_255 = `${'a'.repeat(127)}/${'b'.repeat(127)}`;
const PATH_256 = `${'a'.repeat(128)}/${'b'.repeat(127)}`;
// Docker Hub single names are measured after "library/" (8 characters) is added.
const HUB_NAME_247 = 'n'.repeat(247);
const HUB_NAME_248 = 'n'.repeat(248);
const LONG_HOST = `${'r'.repeat(60)}.example.com`;

interface Valid {
  input: string;
  expected: ImageReference;
  formatted: string;
}

function valid(input: string, formatted: string, expected: ImageReference): Valid {
  return { input, expected, formatted };
}

const validReferences: Valid[] = [
  // Docker Hub short names and the library/ namespace
  valid('alpine', 'docker.io/library/alpine:latest', { registry: 'docker.io', repository: 'library/alpine', tag: 'latest' }),
  valid('alpine:3.19', 'docker.io/library/alpine:3.19', { registry: 'docker.io', repository: 'library/alpine', tag: '3.19' }),
  valid('library/alpine', 'docker.io/library/alpine:latest', { registry: 'docker.io', repository: 'library/alpine', tag: 'latest' }),
  valid('docker.io/alpine', 'docker.io/library/alpine:latest', { registry: 'docker.io', repository: 'library/alpine', tag: 'latest' }),
  valid('docker.io/library/alpine:edge', 'docker.io/library/alpine:edge', {
    registry: 'docker.io',
    repository: 'library/alpine',
    tag: 'edge',
  }),
  valid('bitnami/redis', 'docker.io/bitnami/redis:latest', { registry: 'docker.io', repository: 'bitnami/redis', tag: 'latest' }),
  valid('docker.io/bitnami/redis:7.2', 'docker.io/bitnami/redis:7.2', { registry: 'docker.io', repository: 'bitnami/redis', tag: '7.2' }),
  valid('docker.io/a/b/c/d', 'docker.io/a/b/c/d:latest', { registry: 'docker.io', repository: 'a/b/c/d', tag: 'latest' }),
  valid('123', 'docker.io/library/123:latest', { registry: 'docker.io', repository: 'library/123', tag: 'latest' }),
  // index.docker.io is the legacy name of Docker Hub
  valid('index.docker.io/alpine', 'docker.io/library/alpine:latest', {
    registry: 'docker.io',
    repository: 'library/alpine',
    tag: 'latest',
  }),
  valid('index.docker.io/library/alpine:3', 'docker.io/library/alpine:3', {
    registry: 'docker.io',
    repository: 'library/alpine',
    tag: '3',
  }),
  valid('index.docker.io/grafana/grafana', 'docker.io/grafana/grafana:latest', {
    registry: 'docker.io',
    repository: 'grafana/grafana',
    tag: 'latest',
  }),
  // Other registries: no library/ prefix, nested paths kept
  valid('ghcr.io/foo', 'ghcr.io/foo:latest', { registry: 'ghcr.io', repository: 'foo', tag: 'latest' }),
  valid('ghcr.io/iximiuz/labs/oci/cli:v1', 'ghcr.io/iximiuz/labs/oci/cli:v1', {
    registry: 'ghcr.io',
    repository: 'iximiuz/labs/oci/cli',
    tag: 'v1',
  }),
  valid('quay.io/openshift-examples/multi-arch:kcdmunich2023', 'quay.io/openshift-examples/multi-arch:kcdmunich2023', {
    registry: 'quay.io',
    repository: 'openshift-examples/multi-arch',
    tag: 'kcdmunich2023',
  }),
  valid('registry.k8s.io/pause:3.9', 'registry.k8s.io/pause:3.9', { registry: 'registry.k8s.io', repository: 'pause', tag: '3.9' }),
  valid('my-registry.local/team/app', 'my-registry.local/team/app:latest', {
    registry: 'my-registry.local',
    repository: 'team/app',
    tag: 'latest',
  }),
  // Hosts with ports, localhost, IP literals
  valid('localhost/foo', 'localhost/foo:latest', { registry: 'localhost', repository: 'foo', tag: 'latest' }),
  valid('localhost:5000/foo/bar:dev', 'localhost:5000/foo/bar:dev', { registry: 'localhost:5000', repository: 'foo/bar', tag: 'dev' }),
  valid('registry:5000/x', 'registry:5000/x:latest', { registry: 'registry:5000', repository: 'x', tag: 'latest' }),
  valid('127.0.0.1:5000/x', '127.0.0.1:5000/x:latest', { registry: '127.0.0.1:5000', repository: 'x', tag: 'latest' }),
  valid('example.com:443/team/app:1', 'example.com:443/team/app:1', { registry: 'example.com:443', repository: 'team/app', tag: '1' }),
  valid('[::1]:5000/x', '[::1]:5000/x:latest', { registry: '[::1]:5000', repository: 'x', tag: 'latest' }),
  valid('[::1]/x', '[::1]/x:latest', { registry: '[::1]', repository: 'x', tag: 'latest' }),
  valid('[2001:db8::1]/team/app:v2', '[2001:db8::1]/team/app:v2', { registry: '[2001:db8::1]', repository: 'team/app', tag: 'v2' }),
  valid('[2001:DB8::A]:443/x', '[2001:DB8::A]:443/x:latest', { registry: '[2001:DB8::A]:443', repository: 'x', tag: 'latest' }),
  // Case: hosts may have capitals (kept as typed); a capitalised first component is a host
  valid('MyRegistry.example.com/x', 'MyRegistry.example.com/x:latest', {
    registry: 'MyRegistry.example.com',
    repository: 'x',
    tag: 'latest',
  }),
  valid('Foo/bar', 'Foo/bar:latest', { registry: 'Foo', repository: 'bar', tag: 'latest' }),
  valid('LOCALDOMAIN/library/debian', 'LOCALDOMAIN/library/debian:latest', {
    registry: 'LOCALDOMAIN',
    repository: 'library/debian',
    tag: 'latest',
  }),
  // A single component is never a host, even when it looks like one
  valid('example.com', 'docker.io/library/example.com:latest', { registry: 'docker.io', repository: 'library/example.com', tag: 'latest' }),
  valid('localhost', 'docker.io/library/localhost:latest', { registry: 'docker.io', repository: 'library/localhost', tag: 'latest' }),
  valid('localhost:5000', 'docker.io/library/localhost:5000', { registry: 'docker.io', repository: 'library/localhost', tag: '5000' }),
  valid('index.docker.io', 'docker.io/library/index.docker.io:latest', {
    registry: 'docker.io',
    repository: 'library/index.docker.io',
    tag: 'latest',
  }),
  // Path separators: one ".", one or two "_", any number of "-"
  valid('a.b/c__d', 'a.b/c__d:latest', { registry: 'a.b', repository: 'c__d', tag: 'latest' }),
  valid('foo/a.b_c__d-e---f', 'docker.io/foo/a.b_c__d-e---f:latest', {
    registry: 'docker.io',
    repository: 'foo/a.b_c__d-e---f',
    tag: 'latest',
  }),
  valid('x/a--b', 'docker.io/x/a--b:latest', { registry: 'docker.io', repository: 'x/a--b', tag: 'latest' }),
  valid('x/a_b', 'docker.io/x/a_b:latest', { registry: 'docker.io', repository: 'x/a_b', tag: 'latest' }),
  valid('x/0.1', 'docker.io/x/0.1:latest', { registry: 'docker.io', repository: 'x/0.1', tag: 'latest' }),
  // Tags
  valid(`alpine:${TAG_128}`, `docker.io/library/alpine:${TAG_128}`, { registry: 'docker.io', repository: 'library/alpine', tag: TAG_128 }),
  valid('alpine:V1.0_RC-1', 'docker.io/library/alpine:V1.0_RC-1', {
    registry: 'docker.io',
    repository: 'library/alpine',
    tag: 'V1.0_RC-1',
  }),
  valid('alpine:_private', 'docker.io/library/alpine:_private', { registry: 'docker.io', repository: 'library/alpine', tag: '_private' }),
  valid('alpine:x', 'docker.io/library/alpine:x', { registry: 'docker.io', repository: 'library/alpine', tag: 'x' }),
  valid('alpine:latest', 'docker.io/library/alpine:latest', { registry: 'docker.io', repository: 'library/alpine', tag: 'latest' }),
  valid(`x/y:sha256-${SHA256_HEX}.sig`, `docker.io/x/y:sha256-${SHA256_HEX}.sig`, {
    registry: 'docker.io',
    repository: 'x/y',
    tag: `sha256-${SHA256_HEX}.sig`,
  }),
  // Digests: no default tag; name:tag@digest keeps both
  valid(`alpine@${SHA256}`, `docker.io/library/alpine@${SHA256}`, { registry: 'docker.io', repository: 'library/alpine', digest: SHA256 }),
  valid(`alpine:3.19@${SHA256}`, `docker.io/library/alpine:3.19@${SHA256}`, {
    registry: 'docker.io',
    repository: 'library/alpine',
    tag: '3.19',
    digest: SHA256,
  }),
  valid(`ghcr.io/a/b@${SHA512}`, `ghcr.io/a/b@${SHA512}`, { registry: 'ghcr.io', repository: 'a/b', digest: SHA512 }),
  valid(`localhost:5000/x:t@${SHA256}`, `localhost:5000/x:t@${SHA256}`, {
    registry: 'localhost:5000',
    repository: 'x',
    tag: 't',
    digest: SHA256,
  }),
  valid(`[::1]:5000/x@${SHA256}`, `[::1]:5000/x@${SHA256}`, { registry: '[::1]:5000', repository: 'x', digest: SHA256 }),
  // Whitespace around pasted input
  valid('  alpine:3  \n', 'docker.io/library/alpine:3', { registry: 'docker.io', repository: 'library/alpine', tag: '3' }),
  valid('\tghcr.io/a/b\r\n', 'ghcr.io/a/b:latest', { registry: 'ghcr.io', repository: 'a/b', tag: 'latest' }),
  // Lengths: the 255 limit covers the path (with library/), not the host
  valid(`ghcr.io/${PATH_255}`, `ghcr.io/${PATH_255}:latest`, { registry: 'ghcr.io', repository: PATH_255, tag: 'latest' }),
  valid(`${LONG_HOST}/${PATH_255}`, `${LONG_HOST}/${PATH_255}:latest`, { registry: LONG_HOST, repository: PATH_255, tag: 'latest' }),
  valid(HUB_NAME_247, `docker.io/library/${HUB_NAME_247}:latest`, {
    registry: 'docker.io',
    repository: `library/${HUB_NAME_247}`,
    tag: 'latest',
  }),
  // Only a bare 64-hex string is an image ID; with a tag it is an ordinary name
  valid(`${SHA256_HEX}:latest`, `docker.io/library/${SHA256_HEX}:latest`, {
    registry: 'docker.io',
    repository: `library/${SHA256_HEX}`,
    tag: 'latest',
  }),
  valid(SHA256_HEX.slice(0, 63), `docker.io/library/${SHA256_HEX.slice(0, 63)}:latest`, {
    registry: 'docker.io',
    repository: `library/${SHA256_HEX.slice(0, 63)}`,
    tag: 'latest',
  }),
];

const invalidReferences: Array<[input: string, rule: ReferenceRule]> = [
  ['', 'empty'],
  ['   ', 'empty'],
  ['\n\t', 'empty'],
  // Capitals in the repository path
  ['Alpine', 'uppercase'],
  ['docker.io/Library/alpine', 'uppercase'],
  ['ghcr.io/Owner/app', 'uppercase'],
  ['foo/Bar', 'uppercase'],
  ['Foo/Bar', 'uppercase'],
  ['Foo_Bar/x', 'uppercase'],
  [SHA256_HEX.toUpperCase(), 'uppercase'],
  // Image IDs
  [SHA256_HEX, 'hex-id'],
  [` ${SHA256_HEX}\n`, 'hex-id'],
  // Structure
  ['a//b', 'empty-component'],
  ['a/', 'empty-component'],
  ['/a', 'empty-component'],
  ['ghcr.io/', 'empty-component'],
  ['localhost:5000/', 'empty-component'],
  [':tag', 'missing-name'],
  [`@${SHA256}`, 'missing-name'],
  ['alpine@', 'digest-format'],
  ['alpine:3@', 'digest-format'],
  [`alpine@${SHA256}@${SHA256}`, 'multiple-digests'],
  ['a:b:c', 'path-component'],
  ['alpine:a/b', 'host-format'],
  ['alpine 3', 'whitespace'],
  ['ghcr.io/a /b', 'whitespace'],
  ['http://ghcr.io/a/b', 'url-scheme'],
  ['https://index.docker.io/v1/', 'url-scheme'],
  ['docker://alpine', 'url-scheme'],
  // Path components
  ['a_/b', 'path-component'],
  ['-a/b', 'path-component'],
  ['a/b-', 'path-component'],
  ['a/.b', 'path-component'],
  ['a/b..c', 'path-component'],
  ['a/b___c', 'path-component'],
  ['a/b._c', 'path-component'],
  ['a/b-.c', 'path-component'],
  ['ghcr.io/a/b!', 'path-component'],
  // Hosts
  ['foo_bar.com/x', 'host-format'],
  ['-host.com/x', 'host-format'],
  ['host-.com/x', 'host-format'],
  ['host..com/x', 'host-format'],
  ['localhost:port/x', 'host-format'],
  ['ghcr.io:/x', 'host-format'],
  ['[::1/x', 'host-format'],
  ['[fe80::1%25eth0]:5000/x', 'host-format'],
  // Lengths
  [`ghcr.io/${PATH_256}`, 'name-too-long'],
  [HUB_NAME_248, 'name-too-long'],
  [`alpine:${TAG_129}`, 'tag-too-long'],
  // Tags
  ['alpine:', 'tag-format'],
  ['alpine:.hidden', 'tag-format'],
  ['alpine:-x', 'tag-format'],
  ['alpine:tag!', 'tag-format'],
  ['alpine:naïve', 'tag-format'],
  [`alpine:.${TAG_128}`, 'tag-format'],
  // Digests
  [`alpine@sha256:${SHA256_HEX.slice(0, 63)}`, 'digest-length'],
  [`alpine@sha256:${SHA256_HEX}0`, 'digest-length'],
  ['alpine@sha256:abc', 'digest-length'],
  [`alpine@sha512:${SHA256_HEX}`, 'digest-length'],
  [`alpine@sha256:${SHA256_HEX.toUpperCase()}`, 'digest-format'],
  [`alpine@sha256:${'g'.repeat(64)}`, 'digest-format'],
  [`alpine@SHA256:${SHA256_HEX}`, 'digest-format'],
  ['alpine@sha256', 'digest-format'],
  [`alpine@:${SHA256_HEX}`, 'digest-format'],
  [`alpine@sha256:${SHA256_HEX}:x`, 'digest-format'],
  [`alpine@md5:${SHA256_HEX.slice(0, 32)}`, 'digest-algorithm'],
  [`alpine@sha384:${SHA512_HEX.slice(0, 96)}`, 'digest-algorithm'],
  [`alpine@sha256+b64:${SHA256_HEX}`, 'digest-algorithm'],
  [`alpine@constructor:${SHA256_HEX}`, 'digest-algorithm'],
];

describe('parseReference', () => {
  it.each(validReferences)('accepts $input', ({ input, expected, formatted }) => {
    const ref = parseReference(input);
    expect(ref).toStrictEqual(expected);
    expect(formatReference(ref)).toBe(formatted);
  });

  it.each(validReferences)('reparses its own output for $input unchanged', ({ input }) => {
    const ref = parseReference(input);
    expect(parseReference(formatReference(ref))).toStrictEqual(ref);
  });

  it.each(invalidReferences)('rejects %j as %s', (input, rule) => {
    expect(() => parseReference(input)).toThrow(expect.objectContaining({ kind: 'invalid-reference', rule, input }));
  });
});

describe('InvalidReferenceError messages', () => {
  function messageFor(input: string): string {
    try {
      parseReference(input);
    } catch (error) {
      if (error instanceof InvalidReferenceError) return error.message;
      throw error;
    }
    throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
  }

  it.each([
    ['docker.io/Library/alpine', 'repository name must be lowercase: "docker.io/Library/alpine"'],
    ['Alpine:3', 'repository name must be lowercase: "Alpine"'],
    ['a:b:c', 'a ":" may appear only once, before the tag'],
    [`alpine:${TAG_129}`, 'tag must be at most 128 characters: [\\w][\\w.-]{0,127}'],
    ['alpine:.hidden', '[\\w][\\w.-]{0,127}'],
    [`alpine@sha256:${SHA256_HEX.toUpperCase()}`, 'digest sha256 needs 64 lowercase hex characters'],
    ['alpine@sha256:abc', 'digest sha256 needs 64 lowercase hex characters, got 3'],
    [`alpine@sha512:${SHA256_HEX}`, 'digest sha512 needs 128 lowercase hex characters'],
    [`alpine@md5:${SHA256_HEX.slice(0, 32)}`, 'only sha256 and sha512'],
    [SHA256_HEX, 'image ID'],
    ['https://ghcr.io/a/b', 'remove the "https://" prefix'],
    ['a//b', 'empty path component'],
    ['a/b..c', 'repository path component "b..c" is invalid'],
    ['foo_bar.com/x', 'registry "foo_bar.com" is not a valid host'],
    [`ghcr.io/${PATH_256}`, 'repository name must be at most 255 characters'],
    [':tag', 'missing repository name before ":"'],
    ['alpine@', '"@" must be followed by a digest'],
    ['alpine 3', 'must not contain spaces'],
  ])('explains %j', (input, phrase) => {
    expect(messageFor(input)).toContain(phrase);
  });

  it('is an Error carrying the original input', () => {
    const error = new InvalidReferenceError('empty', ' ', 'reference is empty');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('InvalidReferenceError');
    expect(error.kind).toBe('invalid-reference');
  });
});

describe('parseRepository', () => {
  it.each([
    ['alpine', 'docker.io', 'library/alpine'],
    ['index.docker.io/grafana/grafana', 'docker.io', 'grafana/grafana'],
    ['ghcr.io/iximiuz/labs/oci/cli', 'ghcr.io', 'iximiuz/labs/oci/cli'],
    ['  quay.io/org/repo \n', 'quay.io', 'org/repo'],
    ['localhost:5000/x', 'localhost:5000', 'x'],
    ['[::1]:5000/a/b', '[::1]:5000', 'a/b'],
  ])('accepts %j', (input, registry, repository) => {
    expect(parseRepository(input)).toStrictEqual({ registry, repository });
  });

  it.each<[string, ReferenceRule]>([
    ['alpine:latest', 'has-tag-or-digest'],
    [`alpine@${SHA256}`, 'has-tag-or-digest'],
    [`ghcr.io/a/b:v1@${SHA256}`, 'has-tag-or-digest'],
    ['localhost:5000', 'has-tag-or-digest'],
    ['Alpine', 'uppercase'],
    ['', 'empty'],
    [SHA256_HEX, 'hex-id'],
    ['ghcr.io/a/', 'empty-component'],
  ])('rejects %j as %s', (input, rule) => {
    expect(() => parseRepository(input)).toThrow(expect.objectContaining({ rule }));
  });

  it('points out a registry given without a repository', () => {
    expect(() => parseRepository('localhost:5000')).toThrow(/host:port\/name/);
    expect(() => parseRepository('alpine:3')).toThrow(/remove ":3"/);
  });
});

describe('formatting', () => {
  it('formats a repository', () => {
    expect(formatRepository({ registry: 'docker.io', repository: 'library/alpine' })).toBe('docker.io/library/alpine');
  });

  it('formats tag and digest together', () => {
    expect(formatReference({ registry: 'r', repository: 'x', tag: 't', digest: SHA256 })).toBe(`r/x:t@${SHA256}`);
  });

  it('pins a repository to a digest without a tag', () => {
    const pinned = withDigest({ registry: 'ghcr.io', repository: 'a/b' }, SHA256);
    expect(pinned).toStrictEqual({ registry: 'ghcr.io', repository: 'a/b', digest: SHA256 });
    expect(formatReference(pinned)).toBe(`ghcr.io/a/b@${SHA256}`);
  });

  it('refuses to pin to a malformed digest', () => {
    expect(() => withDigest({ registry: 'ghcr.io', repository: 'a/b' }, 'sha256:abc')).toThrow(
      expect.objectContaining({ rule: 'digest-length', input: 'ghcr.io/a/b@sha256:abc' }),
    );
  });
});

describe('isDigest', () => {
  it.each<[string, boolean]>([
    [SHA256, true],
    [SHA512, true],
    [`sha256:${SHA256_HEX.toUpperCase()}`, false],
    [`sha256:${SHA256_HEX.slice(0, 63)}`, false],
    [`sha256:${SHA512_HEX}`, false],
    [`sha384:${SHA512_HEX.slice(0, 96)}`, false],
    [`md5:${SHA256_HEX.slice(0, 32)}`, false],
    [`tostring:${SHA256_HEX}`, false],
    [` ${SHA256}`, false],
    ['sha256:', false],
    [':', false],
    ['', false],
    [SHA256_HEX, false],
  ])('%j → %s', (input, expected) => {
    expect(isDigest(input)).toBe(expected);
  });
});
