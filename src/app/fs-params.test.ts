import { describe, expect, it } from 'vitest';
import { fsUrl } from '../lib/view-urls';
import { parseFsView } from './fs-params';

const digest = `sha256:${'a'.repeat(64)}`;
const repo = { registry: '127.0.0.1:5000', repository: 'team/app' };

function roundTrip(url: string) {
  const parsed = new URL(url, 'http://x');
  return parseFsView(parsed.pathname, parsed.searchParams);
}

describe('filesystem links', () => {
  it('round-trip a directory with its manifest context', () => {
    const url = fsUrl(repo, digest, 'usr/share', {
      manifest: digest,
      index: 2,
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      size: 99,
    });
    expect(url).toBe(
      `/fs/127.0.0.1:5000/team/app@${digest}/usr/share/?m=${digest}&i=2&mt=application/vnd.oci.image.layer.v1.tar%2Bgzip&size=99`,
    );
    expect(roundTrip(url)).toEqual({
      kind: 'fs',
      form: 'fs',
      repo,
      digest,
      path: 'usr/share',
      directory: true,
      context: { manifest: digest, index: 2, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', size: 99 },
    });
  });

  it('round-trip file names with characters that mean something in URLs', () => {
    for (const name of ['a b.txt', 'q?x=1', 'hash#1', '100%', 'semi;colon', 'ünï.txt', 'a%2Fb']) {
      const view = roundTrip(fsUrl(repo, digest, `etc/${name}`, {}, false));
      expect(view).toMatchObject({ kind: 'fs', path: `etc/${name}`, directory: false });
    }
  });

  it('reads the layer root', () => {
    expect(roundTrip(fsUrl(repo, digest))).toMatchObject({ kind: 'fs', path: '', directory: true });
    expect(parseFsView(`/fs/127.0.0.1:5000/team/app@${digest}`, new URLSearchParams())).toMatchObject({ kind: 'fs', path: '' });
  });

  it.each([[`/fs/team/app/etc/passwd`], [`/fs/team/app@sha256:abc/etc`], [`/fs/Team/App@${digest}/`], [`/fs/team/app@${digest}/%E0%A4%A`]])(
    'rejects %s with a reason',
    (path) => {
      expect(parseFsView(path, new URLSearchParams())).toMatchObject({ kind: 'invalid' });
    },
  );

  it.each([
    ['layers', `/layers/127.0.0.1:5000/team/app@${digest}/etc/`],
    ['size', `/size/127.0.0.1:5000/team/app@${digest}`],
    ['sizes', `/sizes/127.0.0.1:5000/team/app@${digest}`],
    ['blob', `/blob/127.0.0.1:5000/team/app@${digest}`],
    ['fs', `/fs/127.0.0.1:5000/team/app@${digest}/etc/os-release`],
  ])('reads explore.ggcr.dev’s /%s/ form', (form, path) => {
    expect(parseFsView(path, new URLSearchParams())).toMatchObject({ kind: 'fs', form, repo, digest });
  });

  it('names the form a malformed link used', () => {
    expect(parseFsView('/layers/team/app/etc', new URLSearchParams())).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('/layers/REPOSITORY@DIGEST/'),
    });
  });

  it('ignores context that is not well formed', () => {
    expect(parseFsView(`/fs/team/app@${digest}/`, new URLSearchParams('m=nope&i=-1&size=x'))).toMatchObject({
      context: { manifest: undefined, index: undefined, size: undefined },
    });
  });
});
