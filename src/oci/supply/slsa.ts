/**
 * SLSA provenance predicates, v0.2 (slsa.dev/spec/v0.2/provenance) and v1
 * (slsa.dev/spec/v1.0/provenance), read into one view: who built it (builder id), how (build
 * type, parameters), from what (source, materials / resolved dependencies), when (timestamps).
 * BuildKit's extensions are read where it puts them (moby/buildkit
 * docs/attestations/slsa-definitions.md): v0.2 `metadata["https://mobyproject.org/buildkit@v1#…"]`,
 * v1 `runDetails.metadata.buildkit_*`, and its `buildInvocationID` spelling.
 */
import { type JsonObject, isObject, stringField } from '../spec/descriptor';
import { digestOf } from './cross-check';
import { type SourceRef, sourceRef } from './forge';
import { type ImageReference } from '../spec/reference';
import { imageReferenceOfPurl, parsePurl } from './purl';

export interface Material {
  uri?: string;
  name?: string;
  digestSet: Record<string, string>;
  /** A container image dependency (pkg:docker / pkg:oci), pinned to its sha256 when given. */
  image?: ImageReference;
  /** A git source: its forge repository and commit page, when known. */
  source?: SourceRef;
}

export interface Provenance {
  version: 'v0.2' | 'v1';
  builderId?: string;
  buildType?: string;
  /** Where the build definition came from: configSource (v0.2, BuildKit v1) or the first dependency. */
  source?: Material & { entryPoint?: string };
  /** invocation.parameters (v0.2) or buildDefinition.externalParameters (v1). */
  parameters?: unknown;
  /** invocation.environment (v0.2) or buildDefinition.internalParameters (v1). */
  environment?: unknown;
  materials: Material[];
  invocationId?: string;
  startedOn?: string;
  finishedOn?: string;
  reproducible?: boolean;
  hermetic?: boolean;
  completeness?: Record<string, boolean>;
  /** BuildKit's vcs hint (not verified by BuildKit): source URL and revision. */
  vcs?: { source?: string; revision?: string };
  buildkitMetadata?: JsonObject;
  problems: string[];
}

const BUILDKIT_V02 = 'https://mobyproject.org/buildkit@v1#';

function object(value: unknown): JsonObject | undefined {
  return isObject(value) ? value : undefined;
}

function digestSetOf(value: unknown): Record<string, string> {
  const set = object(value);
  if (!set) return {};
  return Object.fromEntries(Object.entries(set).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function commitOf(digestSet: Record<string, string>): string | undefined {
  return digestSet.sha1 ?? digestSet.gitCommit ?? digestSet.sha256;
}

/** A material or resolved dependency, with what it points at: an image, or a git commit. */
export function readMaterial(value: unknown): Material | undefined {
  const o = object(value);
  if (!o) return undefined;
  const uri = stringField(o, 'uri');
  const digestSet = digestSetOf(o.digest);
  const material: Material = { uri, name: stringField(o, 'name'), digestSet };
  if (uri?.startsWith('pkg:')) {
    const purl = parsePurl(uri);
    const sha256 = digestSet.sha256 ? digestOf('sha256', digestSet.sha256) : undefined;
    if (purl.ok) material.image = imageReferenceOfPurl(purl.purl, sha256);
  } else if (uri) {
    const source = sourceRef(uri, commitOf(digestSet));
    if (source.repositoryUrl) material.source = source;
  }
  return material;
}

function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

function completenessOf(value: unknown): Record<string, boolean> | undefined {
  const o = object(value);
  if (!o) return undefined;
  return Object.fromEntries(Object.entries(o).filter((e): e is [string, boolean] => typeof e[1] === 'boolean'));
}

function vcsOf(metadata: JsonObject | undefined): Provenance['vcs'] {
  const vcs = object(metadata?.vcs);
  if (!vcs) return undefined;
  return { source: stringField(vcs, 'source'), revision: stringField(vcs, 'revision') };
}

function materialsOf(value: unknown, where: string, problems: string[]): Material[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push(`${where} is not a list.`);
    return [];
  }
  return value.flatMap((m) => readMaterial(m) ?? []);
}

function readV02(p: JsonObject, problems: string[]): Provenance {
  const invocation = object(p.invocation);
  const configSource = object(invocation?.configSource);
  const metadata = object(p.metadata);
  const buildkitMetadata = object(metadata?.[`${BUILDKIT_V02}metadata`]);
  const source =
    configSource && (stringField(configSource, 'uri') || stringField(configSource, 'entryPoint'))
      ? { ...(readMaterial(configSource) ?? { digestSet: {} }), entryPoint: stringField(configSource, 'entryPoint') }
      : undefined;
  return {
    version: 'v0.2',
    builderId: stringField(object(p.builder) ?? {}, 'id'),
    buildType: stringField(p, 'buildType'),
    source,
    parameters: invocation?.parameters,
    environment: invocation?.environment,
    materials: materialsOf(p.materials, 'materials', problems),
    invocationId: metadata && (stringField(metadata, 'buildInvocationId') ?? stringField(metadata, 'buildInvocationID')),
    startedOn: metadata && stringField(metadata, 'buildStartedOn'),
    finishedOn: metadata && stringField(metadata, 'buildFinishedOn'),
    reproducible: bool(metadata?.reproducible),
    hermetic: bool(metadata?.[`${BUILDKIT_V02}hermetic`]),
    completeness: completenessOf(metadata?.completeness),
    vcs: vcsOf(buildkitMetadata),
    buildkitMetadata,
    problems,
  };
}

function readV1(p: JsonObject, problems: string[]): Provenance {
  const definition = object(p.buildDefinition);
  const run = object(p.runDetails);
  if (!definition) problems.push('The v1 provenance has no buildDefinition.');
  if (!run) problems.push('The v1 provenance has no runDetails.');
  const external = object(definition?.externalParameters);
  const metadata = object(run?.metadata);
  const buildkitMetadata = object(metadata?.buildkit_metadata);
  const materials = materialsOf(definition?.resolvedDependencies, 'buildDefinition.resolvedDependencies', problems);
  const configSource = object(external?.configSource);
  const source = configSource
    ? {
        ...(readMaterial(configSource) ?? { digestSet: {} }),
        entryPoint: stringField(configSource, 'path') ?? stringField(configSource, 'entryPoint'),
      }
    : materials.find((m) => m.source);
  return {
    version: 'v1',
    builderId: stringField(object(run?.builder) ?? {}, 'id'),
    buildType: definition && stringField(definition, 'buildType'),
    source,
    parameters: definition?.externalParameters,
    environment: definition?.internalParameters,
    materials,
    invocationId: metadata && (stringField(metadata, 'invocationId') ?? stringField(metadata, 'invocationID')),
    startedOn: metadata && stringField(metadata, 'startedOn'),
    finishedOn: metadata && stringField(metadata, 'finishedOn'),
    reproducible: bool(metadata?.buildkit_reproducible),
    hermetic: bool(metadata?.buildkit_hermetic),
    completeness: completenessOf(metadata?.buildkit_completeness),
    vcs: vcsOf(buildkitMetadata),
    buildkitMetadata,
    problems,
  };
}

/** Reads a SLSA predicate; `predicateType` decides the version, the shape confirms it. */
export function readProvenance(predicate: unknown, predicateType: string): Provenance | { problems: string[] } {
  if (!isObject(predicate)) return { problems: ['The provenance predicate is not a JSON object.'] };
  const problems: string[] = [];
  const v1 = predicateType.startsWith('https://slsa.dev/provenance/v1');
  if (v1 && !('buildDefinition' in predicate) && 'builder' in predicate)
    problems.push('predicateType says SLSA v1, but the predicate has the v0.2 shape; read as v0.2.');
  else if (!v1 && 'buildDefinition' in predicate)
    problems.push('predicateType says SLSA v0.2, but the predicate has the v1 shape; read as v1.');
  const readAsV1 = 'buildDefinition' in predicate || (v1 && !('builder' in predicate));
  return readAsV1 ? readV1(predicate, problems) : readV02(predicate, problems);
}
