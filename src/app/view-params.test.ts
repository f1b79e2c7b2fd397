import { describe, expect, it } from 'vitest';
import { parseView } from './view-params';

const view = (query: string) => parseView(new URLSearchParams(query));
const digest = `sha256:${'a'.repeat(64)}`;

describe('parseView', () => {
  it('shows the landing page without parameters', () => {
    expect(view('')).toEqual({ kind: 'landing' });
  });

  it('reads an image reference with its descriptor hints', () => {
    expect(view(`image=ghcr.io/a/b@${digest}&mt=application/vnd.oci.image.manifest.v1%2Bjson&size=42`)).toEqual({
      kind: 'image',
      ref: { registry: 'ghcr.io', repository: 'a/b', digest },
      hints: { mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 42 },
    });
  });

  it('normalises short Docker Hub names', () => {
    expect(view('image=alpine')).toMatchObject({
      kind: 'image',
      ref: { registry: 'docker.io', repository: 'library/alpine', tag: 'latest' },
    });
  });

  it('ignores a size that is not a byte count', () => {
    expect(view('image=alpine&size=-1')).toMatchObject({ hints: { size: undefined } });
  });

  it('reads a blob link and its manifest context', () => {
    expect(view(`blob=127.0.0.1:5000/x/y@${digest}&from=${digest}`)).toMatchObject({
      kind: 'blob',
      repo: { registry: '127.0.0.1:5000', repository: 'x/y' },
      digest,
      from: digest,
    });
  });

  it('reads a referrers link, with an optional artifactType filter', () => {
    expect(view(`referrers=127.0.0.1:5000/x/y@${digest}`)).toEqual({
      kind: 'referrers',
      repo: { registry: '127.0.0.1:5000', repository: 'x/y' },
      digest,
      artifactType: undefined,
    });
    expect(view(`referrers=x/y@${digest}&artifactType=application/vnd.example.sbom.v1%2Bjson`)).toMatchObject({
      kind: 'referrers',
      repo: { registry: 'docker.io', repository: 'x/y' },
      artifactType: 'application/vnd.example.sbom.v1+json',
    });
  });

  it('reads a repository', () => {
    expect(view('repo=quay.io/org/app')).toEqual({ kind: 'repo', repo: { registry: 'quay.io', repository: 'org/app' } });
  });

  it.each([
    ['image=docker.io/Team/app', 'image'],
    ['image=a:b:c', 'image'],
    ['blob=x/y', 'blob'],
    ['blob=x/y@sha256:abc', 'blob'],
    ['repo=x/y:tag', 'repo'],
    ['referrers=x/y:v1', 'referrers'],
    [`referrers=docker.io/Team/app@${digest}`, 'referrers'],
  ])('names the problem in %s', (query, param) => {
    const v = view(query);
    expect(v.kind).toBe('invalid');
    expect(v).toMatchObject({ param });
    expect(v.kind === 'invalid' && v.message.length).toBeGreaterThan(10);
  });

  it('reads a comparison of two references, with what narrows it', () => {
    expect(view(`compare=alpine:3.19&with=ghcr.io/a/b@${digest}&platform=linux/arm64&fs=1&dir=/usr/lib/`)).toEqual({
      kind: 'compare',
      a: { registry: 'docker.io', repository: 'library/alpine', tag: '3.19' },
      b: { registry: 'ghcr.io', repository: 'a/b', digest },
      platform: 'linux/arm64',
      filesystem: true,
      dir: 'usr/lib',
    });
    expect(view('compare=alpine&with=busybox')).toMatchObject({ kind: 'compare', filesystem: false, dir: '', platform: undefined });
  });

  it('names the side of a comparison link that is not a reference, or the one missing', () => {
    expect(view('compare=alpine&with=UPPER/Case')).toMatchObject({ kind: 'invalid', param: 'with', input: 'UPPER/Case' });
    expect(view('compare=-bad&with=alpine')).toMatchObject({ kind: 'invalid', param: 'compare', input: '-bad' });
    expect(view('compare=alpine')).toMatchObject({
      kind: 'invalid',
      param: 'compare',
      message: 'A comparison link needs both ?compare=REF_A and &with=REF_B.',
    });
  });
});

describe('explore.ggcr.dev link forms', () => {
  it.each([
    ['repo=localhost:5000', 'localhost:5000'],
    ['repo=127.0.0.1:5000', '127.0.0.1:5000'],
    ['repo=gcr.io/', 'gcr.io'],
    ['repo=ghcr.io', 'ghcr.io'],
    ['repo=index.docker.io/', 'docker.io'],
  ])('%s lists the catalog of %s', (query, registry) => {
    expect(view(query)).toEqual({ kind: 'catalog', registry });
  });

  it('keeps a single name a Docker Hub repository', () => {
    expect(view('repo=ubuntu')).toEqual({ kind: 'repo', repo: { registry: 'docker.io', repository: 'library/ubuntu' } });
  });

  it('trims spaces and an https:// prefix, as explore.ggcr.dev does', () => {
    expect(view('image=%20https://ghcr.io/a/b:v1%20')).toMatchObject({
      kind: 'image',
      ref: { registry: 'ghcr.io', repository: 'a/b', tag: 'v1' },
    });
    expect(view(`blob=https://ghcr.io/a/b@${digest}`)).toMatchObject({ kind: 'blob', repo: { registry: 'ghcr.io', repository: 'a/b' } });
    expect(view('repo=https://ghcr.io/a/b')).toMatchObject({ kind: 'repo', repo: { registry: 'ghcr.io', repository: 'a/b' } });
  });

  it('reads a blob link without mt or size', () => {
    expect(view(`blob=ghcr.io/a/b@${digest}`)).toMatchObject({ kind: 'blob', digest, hints: { mediaType: undefined, size: undefined } });
  });
});
