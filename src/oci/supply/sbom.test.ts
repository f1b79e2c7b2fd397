import { describe, expect, it } from 'vitest';
import { readCycloneDx } from './cyclonedx';
import { filterPackages } from './sbom';
import { readSpdx } from './spdx';

const spdx = {
  spdxVersion: 'SPDX-2.3',
  name: 'demo',
  creationInfo: { created: '2024-01-01T00:00:00Z', creators: ['Tool: npm-cli-10'] },
  packages: [
    {
      name: 'left-pad',
      versionInfo: '1.3.0',
      licenseConcluded: 'NOASSERTION',
      licenseDeclared: 'WTFPL',
      supplier: 'Organization: npm',
      externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:npm/left-pad@1.3.0' }],
    },
    {
      name: 'alpine',
      versionInfo: '3.19',
      externalRefs: [
        {
          referenceCategory: 'PACKAGE_MANAGER',
          referenceType: 'purl',
          referenceLocator: `pkg:oci/alpine@sha256%3A${'a'.repeat(64)}?repository_url=docker.io/library/alpine`,
        },
      ],
    },
    { name: 'musl', versionInfo: 'NOASSERTION', primaryPackagePurpose: 'LIBRARY' },
  ],
};

describe('readSpdx', () => {
  it('reads packages with ecosystem, licence, supplier and purl', () => {
    const sbom = readSpdx(spdx);
    expect(sbom.problems).toEqual([]);
    expect(sbom.tools).toEqual(['Tool: npm-cli-10']);
    expect(sbom.packages[0]).toMatchObject({ name: 'left-pad', version: '1.3.0', ecosystem: 'npm', licence: 'WTFPL', supplier: 'npm' });
    expect(sbom.packages[2]).toMatchObject({ name: 'musl', version: undefined, ecosystem: 'unknown', type: 'library' });
    expect(sbom.ecosystems).toEqual([
      { ecosystem: 'npm', count: 1 },
      { ecosystem: 'oci', count: 1 },
      { ecosystem: 'unknown', count: 1 },
    ]);
  });

  it('links an image purl to the image by digest', () => {
    const image = readSpdx(spdx).packages[1]!.image;
    expect(image).toEqual({ registry: 'docker.io', repository: 'library/alpine', digest: `sha256:${'a'.repeat(64)}` });
  });

  it.each([
    [{ spdxVersion: 'SPDX-3.0', '@context': 'x' }, 'JSON-LD'],
    [{ spdxVersion: 'SPDX-2.1', packages: [] }, 'not SPDX 2.2 or 2.3'],
    [{ spdxVersion: 'SPDX-2.3', packages: 'x' }, 'packages is not a list'],
    [{ spdxVersion: 'SPDX-2.3', packages: [{}] }, 'packages[0] has no name'],
  ])('reports %j', (doc, message) => {
    expect(readSpdx(doc).problems.join(' ')).toContain(message);
  });
});

const cdx = {
  bomFormat: 'CycloneDX',
  specVersion: '1.5',
  metadata: {
    timestamp: '2024-02-02T00:00:00Z',
    tools: { components: [{ name: 'npm', version: '10.8.0' }] },
    component: { name: 'app', version: '1.0.0' },
  },
  components: [
    {
      type: 'library',
      group: '@scope',
      name: 'pkg',
      version: '2.0.0',
      purl: 'pkg:npm/%40scope/pkg@2.0.0',
      licenses: [{ license: { id: 'MIT' } }, { license: { name: 'Custom' } }],
      supplier: { name: 'Scope Inc' },
      components: [
        {
          type: 'library',
          name: 'inner',
          version: '0.1',
          licenses: [{ expression: 'Apache-2.0 OR MIT' }],
          purl: 'pkg:golang/example.com/inner@0.1',
        },
      ],
    },
    { type: 'container', name: 'base', purl: 'pkg:docker/ghcr.io/acme/base@1.2' },
  ],
};

describe('readCycloneDx', () => {
  it('reads nested components, licences in all three forms, and 1.5 tools', () => {
    const sbom = readCycloneDx(cdx);
    expect(sbom.problems).toEqual([]);
    expect(sbom.name).toBe('app 1.0.0');
    expect(sbom.tools).toEqual(['npm 10.8.0']);
    expect(sbom.packages.map((p) => [p.name, p.ecosystem, p.licence])).toEqual([
      ['@scope/pkg', 'npm', 'MIT AND Custom'],
      ['inner', 'golang', 'Apache-2.0 OR MIT'],
      ['base', 'docker', undefined],
    ]);
    expect(sbom.packages[2]!.image).toEqual({ registry: 'ghcr.io', repository: 'acme/base', tag: '1.2' });
  });

  it('reads the 1.4 tools list', () => {
    expect(
      readCycloneDx({ ...cdx, specVersion: '1.4', metadata: { tools: [{ vendor: 'anchore', name: 'syft', version: '1.0' }] } }).tools,
    ).toEqual(['anchore syft 1.0']);
  });

  it.each([
    [{ ...cdx, specVersion: '1.2' }, 'is not 1.4, 1.5 or 1.6'],
    [{ ...cdx, bomFormat: 'SPDX' }, 'bomFormat is not "CycloneDX"'],
    [{ ...cdx, components: {} }, 'components is not a list'],
  ])('reports %#', (doc, message) => {
    expect(readCycloneDx(doc).problems.join(' ')).toContain(message);
  });

  it('stops walking hostile nesting and says so', () => {
    let deep: Record<string, unknown> = { name: 'leaf' };
    for (let i = 0; i < 40; i++) deep = { name: `n${i}`, components: [deep] };
    const sbom = readCycloneDx({ bomFormat: 'CycloneDX', specVersion: '1.6', components: [deep] });
    expect(sbom.problems.join(' ')).toContain('nested more than 32 levels');
    expect(sbom.packages.length).toBeLessThanOrEqual(34);
  });
});

describe('filterPackages', () => {
  it('matches any column, case-insensitively, within an ecosystem', () => {
    const packages = readCycloneDx(cdx).packages;
    expect(filterPackages(packages, 'mit').map((p) => p.name)).toEqual(['@scope/pkg', 'inner']);
    expect(filterPackages(packages, '', 'golang').map((p) => p.name)).toEqual(['inner']);
    expect(filterPackages(packages, 'ACME').map((p) => p.name)).toEqual(['base']);
  });
});
