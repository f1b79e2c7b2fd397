import { describe, expect, it } from 'vitest';
import { identifyArtifact } from './artifact-types';
import { isArchiveLayer, isContainerImage, jsonView, sniffedView } from './blob-view';
import { chartFilePaths, parseYaml, readChartMetadata } from './helm';
import { imageReferenceOfPurl, parsePurl } from './purl';

const layer = (mediaType: string) => ({ mediaType, digest: 'sha256:x', size: 1, digestValid: true });
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';

describe('isArchiveLayer', () => {
  it.each([
    ['application/vnd.oci.image.layer.v1.tar+gzip', true],
    ['application/vnd.docker.image.rootfs.diff.tar.gzip', true],
    ['application/vnd.cncf.helm.chart.content.v1.tar+gzip', true],
    ['application/vnd.aquasec.trivy.db.layer.v1.tar+gzip', true],
    ['application/vnd.cyclonedx+json', false],
    ['application/vnd.in-toto+json', false],
    ['application/vnd.dev.cosign.simplesigning.v1+json', false],
    ['application/vnd.docker.compose.file+yaml', false],
  ])('%s → %s', (mediaType, archive) => {
    expect(isArchiveLayer(layer(mediaType))).toBe(archive);
  });
});

describe('isContainerImage', () => {
  const image = { config: layer(OCI_CONFIG), layers: [layer('application/vnd.oci.image.layer.v1.tar+gzip')] };
  it.each([
    ['an image', image, true],
    ['an image whose layers omit mediaType', { ...image, layers: [{ digest: 'sha256:x', size: 1, digestValid: true }] }, true],
    ['an artifact with artifactType', { ...image, artifactType: 'application/vnd.example' }, false],
    [
      'a cosign signature (image config, payload layer)',
      { ...image, layers: [layer('application/vnd.dev.cosign.simplesigning.v1+json')] },
      false,
    ],
    ['a BuildKit attestation (image config, in-toto layers)', { ...image, layers: [layer('application/vnd.in-toto+json')] }, false],
    [
      'a Helm chart',
      { config: layer('application/vnd.cncf.helm.config.v1+json'), layers: [layer('application/vnd.cncf.helm.chart.content.v1.tar+gzip')] },
      false,
    ],
  ])('%s → %s', (_name, manifest, expected) => {
    expect(isContainerImage(manifest)).toBe(expected);
  });
});

describe('jsonView', () => {
  it.each([
    [{ payloadType: 'x', payload: '', signatures: [] }, 'dsse'],
    [{ _type: 'https://in-toto.io/Statement/v1' }, 'statement'],
    [{ spdxVersion: 'SPDX-2.3' }, 'spdx'],
    [{ bomFormat: 'CycloneDX' }, 'cyclonedx'],
    [{ critical: { image: {} } }, 'simple-signing'],
    [{ protected: 'a', payload: 'b', signature: 'c' }, 'jws'],
    [{ anything: 1 }, 'json'],
    [[1, 2], 'json'],
  ])('%j → %s', (json, view) => {
    expect(jsonView(json)).toBe(view);
  });

  it('takes the Helm config by its media type', () => {
    expect(jsonView({ name: 'x' }, 'application/vnd.cncf.helm.config.v1+json')).toBe('helm-config');
  });
});

describe('sniffedView', () => {
  it.each([
    [{ kind: 'gzip' as const }, undefined, 'archive'],
    [{ kind: 'json' as const }, undefined, 'parse-json'],
    [{ kind: 'text' as const }, 'application/vnd.example+json', 'parse-json'],
    [{ kind: 'text' as const }, 'text/plain', 'text'],
    [{ kind: 'yaml' as const }, undefined, 'yaml'],
    [{ kind: 'wasm' as const }, undefined, 'binary'],
    [{ kind: 'cose' as const }, undefined, 'cose'],
  ])('%j (%s) → %s', (sniffed, mediaType, view) => {
    expect(sniffedView(sniffed, mediaType)).toBe(view);
  });
});

describe('identifyArtifact', () => {
  it.each([
    [['application/vnd.dev.sigstore.bundle.v0.3+json'], 'Sigstore bundle'],
    [['application/vnd.dev.sigstore.bundle+json;version=0.3'], 'Sigstore bundle'],
    [[undefined, 'application/vnd.cncf.helm.config.v1+json'], 'Helm chart'],
    [[undefined, 'application/vnd.oci.empty.v1+json', 'application/vnd.wasm.content.layer.v1+wasm'], 'WebAssembly module'],
  ])('%j → %s', (candidates, name) => {
    expect(identifyArtifact(candidates)?.name).toBe(name);
  });

  it('knows Homebrew bottles by their annotations and nothing else unknown', () => {
    expect(identifyArtifact(['application/vnd.oci.image.config.v1+json'], { 'sh.brew.tab': '{}' })?.name).toBe('Homebrew bottle');
    expect(identifyArtifact(['application/vnd.example.unknown'])).toBeUndefined();
  });
});

describe('helm', () => {
  it('reads chart metadata and says what is missing', () => {
    const chart = readChartMetadata({
      apiVersion: 'v2',
      name: 'demo',
      version: '0.1.0',
      appVersion: 1.16,
      maintainers: [{ name: 'A', email: 'a@b' }],
      keywords: ['x'],
    });
    expect(chart).toMatchObject({
      name: 'demo',
      version: '0.1.0',
      appVersion: '1.16',
      keywords: ['x'],
      maintainers: [{ name: 'A', email: 'a@b' }],
      problems: [],
    });
    expect(readChartMetadata({}).problems).toEqual(['The chart has no name.', 'The chart has no version.']);
  });

  it('finds Chart.yaml and values.yaml in the top directory only', () => {
    expect(chartFilePaths(['demo/Chart.yaml', 'demo/values.yaml', 'demo/charts/sub/Chart.yaml'])).toEqual({
      chartYaml: 'demo/Chart.yaml',
      valuesYaml: 'demo/values.yaml',
    });
  });

  it('parses YAML and refuses alias bombs', async () => {
    expect(await parseYaml('name: demo\nversion: 1.0.0\n')).toEqual({ ok: true, value: { name: 'demo', version: '1.0.0' } });
    const bomb = [
      'a: &a [x,x,x,x,x,x,x,x,x]',
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(',')}]`,
      ),
    ].join('\n');
    const result = await parseYaml(bomb);
    expect(result.ok).toBe(false);
  });
});

describe('imageReferenceOfPurl', () => {
  const ref = (purl: string, digest?: string) => {
    const parsed = parsePurl(purl);
    return parsed.ok ? imageReferenceOfPurl(parsed.purl, digest) : parsed.problem;
  };
  it.each([
    ['pkg:docker/alpine@3.19', undefined, { registry: 'docker.io', repository: 'library/alpine', tag: '3.19' }],
    [
      'pkg:docker/ghcr.io/acme/app@v1?platform=linux%2Famd64',
      `sha256:${'c'.repeat(64)}`,
      { registry: 'ghcr.io', repository: 'acme/app', digest: `sha256:${'c'.repeat(64)}` },
    ],
    ['pkg:docker/acme/app@1?repository_url=quay.io', undefined, { registry: 'quay.io', repository: 'acme/app', tag: '1' }],
    [
      `pkg:oci/debian@sha256%3A${'d'.repeat(64)}?repository_url=docker.io/library/debian&tag=12`,
      undefined,
      { registry: 'docker.io', repository: 'library/debian', digest: `sha256:${'d'.repeat(64)}` },
    ],
    ['pkg:npm/left-pad@1.3.0', undefined, undefined],
  ])('%s → %j', (purl, digest, expected) => {
    expect(ref(purl, digest)).toEqual(expected);
  });

  it('says why a purl does not parse', () => {
    expect(ref('pkg:')).toContain('is not a valid package URL');
  });
});
