import { describe, expect, it } from 'vitest';
import { sourceRef } from './forge';
import { readProvenance } from './slsa';

const sha = 'f'.repeat(64);

describe('readProvenance', () => {
  it('reads BuildKit v0.2 provenance with its extensions', () => {
    const p = readProvenance(
      {
        builder: { id: 'https://github.com/docker/buildx/actions/runs/1' },
        buildType: 'https://mobyproject.org/buildkit@v1',
        materials: [
          { uri: 'pkg:docker/alpine@3.17?platform=linux%2Famd64', digest: { sha256: sha } },
          { uri: 'https://github.com/moby/buildkit.git#refs/tags/v0.11.0', digest: { sha1: '4b220de5058abfd01ff619c9d2ff6b09a049bea0' } },
        ],
        invocation: {
          configSource: { entryPoint: 'Dockerfile' },
          parameters: { frontend: 'dockerfile.v0' },
          environment: { platform: 'linux/amd64' },
        },
        metadata: {
          buildInvocationID: 'abc',
          buildStartedOn: '2024-01-01T00:00:00Z',
          buildFinishedOn: '2024-01-01T00:01:00Z',
          completeness: { parameters: true, materials: false },
          reproducible: false,
          'https://mobyproject.org/buildkit@v1#hermetic': true,
          'https://mobyproject.org/buildkit@v1#metadata': { vcs: { source: 'https://github.com/acme/app', revision: 'deadbeef' } },
        },
      },
      'https://slsa.dev/provenance/v0.2',
    );
    expect('version' in p && p).toMatchObject({
      version: 'v0.2',
      builderId: 'https://github.com/docker/buildx/actions/runs/1',
      invocationId: 'abc',
      hermetic: true,
      reproducible: false,
      completeness: { parameters: true, materials: false },
      vcs: { source: 'https://github.com/acme/app', revision: 'deadbeef' },
      source: { entryPoint: 'Dockerfile' },
    });
    if (!('version' in p)) throw new Error('not read');
    expect(p.materials[0]!.image).toEqual({ registry: 'docker.io', repository: 'library/alpine', digest: `sha256:${sha}` });
    expect(p.materials[1]!.source?.commitUrl).toBe('https://github.com/moby/buildkit/commit/4b220de5058abfd01ff619c9d2ff6b09a049bea0');
  });

  it('reads v1 provenance: external parameters, resolved dependencies, run details', () => {
    const p = readProvenance(
      {
        buildDefinition: {
          buildType: 'https://github.com/moby/buildkit/blob/master/docs/attestations/slsa-definitions.md',
          externalParameters: {
            configSource: { uri: 'https://gitlab.com/acme/app.git#main', digest: { sha1: 'a1b2c3d4e5' }, path: 'Dockerfile' },
          },
          internalParameters: { builderPlatform: 'linux/arm64' },
          resolvedDependencies: [{ uri: `pkg:docker/docker.io/library/golang@1.22`, digest: { sha256: sha } }],
        },
        runDetails: {
          builder: { id: 'https://ci.example/run/7' },
          metadata: {
            invocationID: 'inv',
            startedOn: 's',
            finishedOn: 'f',
            buildkit_hermetic: false,
            buildkit_completeness: { request: true },
          },
        },
      },
      'https://slsa.dev/provenance/v1',
    );
    if (!('version' in p)) throw new Error('not read');
    expect(p).toMatchObject({
      version: 'v1',
      builderId: 'https://ci.example/run/7',
      invocationId: 'inv',
      hermetic: false,
      completeness: { request: true },
    });
    expect(p.source).toMatchObject({
      entryPoint: 'Dockerfile',
      source: { commitUrl: 'https://gitlab.com/acme/app/-/commit/a1b2c3d4e5', ref: 'main' },
    });
    expect(p.materials[0]!.image).toEqual({ registry: 'docker.io', repository: 'library/golang', digest: `sha256:${sha}` });
  });

  it('says when the shape disagrees with the predicate type', () => {
    const p = readProvenance({ builder: { id: 'x' } }, 'https://slsa.dev/provenance/v1');
    expect(p.problems[0]).toContain('v0.2 shape');
  });

  it('refuses a predicate that is not an object', () => {
    expect(readProvenance('x', 'https://slsa.dev/provenance/v1').problems).toEqual(['The provenance predicate is not a JSON object.']);
  });
});

describe('sourceRef', () => {
  it.each([
    ['https://github.com/o/r.git#refs/tags/v1', 'abc1234', 'https://github.com/o/r/commit/abc1234'],
    ['git+https://github.com/o/r', 'abc1234', 'https://github.com/o/r/commit/abc1234'],
    ['git@github.com:o/r.git', 'abc1234', 'https://github.com/o/r/commit/abc1234'],
    ['https://codeberg.org/o/r', 'abc1234', 'https://codeberg.org/o/r/commit/abc1234'],
    ['https://git.example.com/o/r', 'abc1234', undefined],
    ['javascript:alert(1)//github.com/o/r', 'abc1234', undefined],
    ['https://github.com/o/r', 'not-hex', undefined],
  ])('%s @ %s → %s', (uri, commit, expected) => {
    expect(sourceRef(uri, commit).commitUrl).toBe(expected);
  });
});
