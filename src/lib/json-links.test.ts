import { describe, expect, it } from 'vitest';
import { type Link, parseJsonDocument, prettyLines } from '../oci/display/json-document';
import { DOCKER_CONFIG, DOCKER_MANIFEST, OCI_CONFIG, OCI_INDEX, OCI_LAYER_GZIP, OCI_MANIFEST } from '../oci/spec/media-types';
import { createRegistryLinker } from './json-links';

const repo = { registry: '127.0.0.1:5000', repository: 'team/app' };
const d = (c: string) => `sha256:${c.repeat(64)}`;

/** Every linked string in the pretty-printed document, as text → link. */
function links(doc: unknown, from?: string): Map<string, Link> {
  const out = new Map<string, Link>();
  for (const line of prettyLines(parseJsonDocument(JSON.stringify(doc)), createRegistryLinker(repo, from))) {
    for (const part of line.parts) if (part.link) out.set(JSON.parse(part.text) as string, part.link);
  }
  return out;
}

describe('registry JSON linker', () => {
  it('links index entries to the image view with their media type and size', () => {
    const l = links({ mediaType: OCI_INDEX, manifests: [{ mediaType: OCI_MANIFEST, digest: d('a'), size: 500 }] });
    expect(l.get(d('a'))).toEqual({
      href: `/?image=127.0.0.1:5000/team/app@${d('a')}&mt=application/vnd.oci.image.manifest.v1%2Bjson&size=500`,
      target: 'app',
      title: 'Open this manifest',
    });
  });

  it('links the config to the blob view and layers to the layer explorer, both with the manifest they came from', () => {
    const l = links(
      {
        mediaType: DOCKER_MANIFEST,
        config: { mediaType: DOCKER_CONFIG, digest: d('b'), size: 10 },
        layers: [{ mediaType: OCI_LAYER_GZIP, digest: d('c'), size: 20 }],
      },
      d('f'),
    );
    expect(l.get(d('b'))?.href).toBe(
      `/?blob=127.0.0.1:5000/team/app@${d('b')}&mt=application/vnd.docker.container.image.v1%2Bjson&size=10&from=${d('f')}`,
    );
    expect(l.get(d('c'))?.href).toBe(
      `/fs/127.0.0.1:5000/team/app@${d('c')}/?m=${d('f')}&mt=application/vnd.oci.image.layer.v1.tar%2Bgzip&size=20`,
    );
  });

  it('falls back on where a descriptor sits when it has no media type', () => {
    const l = links({
      manifests: [{ digest: d('a'), size: 1 }],
      subject: { digest: d('b'), size: 2 },
      config: { digest: d('c'), size: 3 },
    });
    expect(l.get(d('a'))?.href).toMatch(/^\/\?image=/);
    expect(l.get(d('b'))?.href).toMatch(/^\/\?image=/);
    expect(l.get(d('c'))?.href).toMatch(/^\/\?blob=/);
  });

  it('links media types to their specification', () => {
    const l = links({ mediaType: OCI_MANIFEST, config: { mediaType: OCI_CONFIG, digest: d('a'), size: 1 } });
    expect(l.get(OCI_MANIFEST)).toMatchObject({ target: 'external', href: expect.stringContaining('image-spec') });
    expect(l.get(OCI_CONFIG)?.href).toContain('config.md');
  });

  it('links annotation values only when they are http(s) URLs', () => {
    const l = links({
      annotations: {
        'org.opencontainers.image.source': 'https://example.com/src',
        evil: 'javascript:alert(1)',
        data: 'data:text/html,<script>alert(1)</script>',
        text: 'just words',
        'vnd.docker.reference.digest': d('e'),
      },
    });
    expect(l.get('https://example.com/src')).toEqual({ href: 'https://example.com/src', target: 'external' });
    expect(l.has('javascript:alert(1)')).toBe(false);
    expect(l.has('data:text/html,<script>alert(1)</script>')).toBe(false);
    expect(l.has('just words')).toBe(false);
    expect(l.get(d('e'))?.href).toBe(`/?image=127.0.0.1:5000/team/app@${d('e')}`);
  });

  it('links foreign layer urls only when they are http(s)', () => {
    const l = links({
      layers: [{ mediaType: OCI_LAYER_GZIP, digest: d('a'), size: 1, urls: ['https://cdn.example/l.tgz', 'file:///etc/passwd'] }],
    });
    expect(l.get('https://cdn.example/l.tgz')?.target).toBe('external');
    expect(l.has('file:///etc/passwd')).toBe(false);
  });

  it('never links a digest that is not one', () => {
    const l = links({
      manifests: [
        { mediaType: OCI_MANIFEST, digest: 'sha256:../../etc', size: 1 },
        { mediaType: OCI_MANIFEST, digest: 'md5:abc', size: 1 },
      ],
    });
    expect(l.has('sha256:../../etc')).toBe(false);
    expect(l.has('md5:abc')).toBe(false);
  });
});
