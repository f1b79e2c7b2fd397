/**
 * Helm charts stored as OCI artifacts (helm.sh/docs/topics/registries): the config blob
 * `application/vnd.cncf.helm.config.v1+json` is the chart's Chart.yaml metadata as JSON; the
 * chart itself is a `tar+gzip` layer whose top directory holds Chart.yaml and values.yaml
 * (helm.sh/docs/topics/charts "The Chart File Structure"). YAML is parsed by `yaml`, loaded on
 * first use, and only ever rendered as data.
 */
import { type JsonObject, isObject, stringArray, stringField } from '../spec/descriptor';

export const HELM_CONFIG = 'application/vnd.cncf.helm.config.v1+json';
export const HELM_CHART = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
export const HELM_PROVENANCE = 'application/vnd.cncf.helm.chart.provenance.v1.prov';

export interface ChartMaintainer {
  name?: string;
  email?: string;
  url?: string;
}

export interface ChartMetadata {
  name?: string;
  version?: string;
  appVersion?: string;
  apiVersion?: string;
  description?: string;
  type?: string;
  kubeVersion?: string;
  home?: string;
  icon?: string;
  deprecated?: boolean;
  keywords: string[];
  sources: string[];
  maintainers: ChartMaintainer[];
  dependencies: Array<{ name?: string; version?: string; repository?: string; condition?: string }>;
  annotations: Record<string, string>;
  problems: string[];
}

function stringsOf(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

function list<T>(value: unknown, read: (o: JsonObject) => T): T[] {
  return Array.isArray(value) ? value.filter(isObject).map(read) : [];
}

/** Reads chart metadata from the config JSON or a parsed Chart.yaml (the same fields). */
export function readChartMetadata(value: unknown): ChartMetadata {
  const empty: ChartMetadata = { keywords: [], sources: [], maintainers: [], dependencies: [], annotations: {}, problems: [] };
  if (!isObject(value)) return { ...empty, problems: ['The chart metadata is not an object.'] };
  const problems: string[] = [];
  const name = stringField(value, 'name');
  const version = stringField(value, 'version');
  if (!name) problems.push('The chart has no name.');
  if (!version) problems.push('The chart has no version.');
  return {
    name,
    version,
    appVersion: typeof value.appVersion === 'number' ? String(value.appVersion) : stringField(value, 'appVersion'),
    apiVersion: stringField(value, 'apiVersion'),
    description: stringField(value, 'description'),
    type: stringField(value, 'type'),
    kubeVersion: stringField(value, 'kubeVersion'),
    home: stringField(value, 'home'),
    icon: stringField(value, 'icon'),
    deprecated: typeof value.deprecated === 'boolean' ? value.deprecated : undefined,
    keywords: stringArray(value.keywords) ?? [],
    sources: stringArray(value.sources) ?? [],
    maintainers: list(value.maintainers, (m) => ({
      name: stringField(m, 'name'),
      email: stringField(m, 'email'),
      url: stringField(m, 'url'),
    })),
    dependencies: list(value.dependencies, (d) => ({
      name: stringField(d, 'name'),
      version: stringField(d, 'version'),
      repository: stringField(d, 'repository'),
      condition: stringField(d, 'condition'),
    })),
    annotations: stringsOf(value.annotations),
    problems,
  };
}

/** YAML text parsed to plain data; aliases are capped so a "billion laughs" file stays small. */
export async function parseYaml(text: string): Promise<{ ok: true; value: unknown } | { ok: false; problem: string }> {
  const { parse } = await import('yaml');
  try {
    return { ok: true, value: parse(text, { maxAliasCount: 100, prettyErrors: true }) };
  } catch (error) {
    return { ok: false, problem: `Not valid YAML: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Chart.yaml and values.yaml live in the archive's single top-level directory. */
export function chartFilePaths(paths: string[]): { chartYaml?: string; valuesYaml?: string } {
  const top = (file: string) => paths.find((p) => /^[^/]+\/[^/]+$/.test(p) && p.endsWith(`/${file}`));
  return { chartYaml: top('Chart.yaml'), valuesYaml: top('values.yaml') };
}
