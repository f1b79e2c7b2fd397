/**
 * CycloneDX 1.4, 1.5 and 1.6 BOMs in JSON (cyclonedx.org specification, the JSON schema's field
 * names): `metadata` (timestamp, tools in both the 1.4 list form and the 1.5+ object form, the
 * described component), and `components`, nested ones included, each with type, group, name,
 * version, purl, licences (`license.id`, `license.name` or an `expression`) and supplier.
 */
import { type JsonObject, isObject, stringField } from '../spec/descriptor';
import { type Sbom, type SbomPackage, UNKNOWN_ECOSYSTEM, countEcosystems, packageIdentity } from './sbom';

const SUPPORTED = new Set(['1.4', '1.5', '1.6']);
/** Nesting beyond this is a hostile document, not a real BOM; the rest is reported, not walked. */
const MAX_DEPTH = 32;

function licenceOf(component: JsonObject): string | undefined {
  if (!Array.isArray(component.licenses)) return undefined;
  const names = component.licenses.flatMap((entry: unknown) => {
    if (!isObject(entry)) return [];
    const expression = stringField(entry, 'expression');
    if (expression) return [expression];
    const licence = isObject(entry.license) ? entry.license : undefined;
    const id = licence && (stringField(licence, 'id') ?? stringField(licence, 'name'));
    return id ? [id] : [];
  });
  return names.length > 0 ? names.join(' AND ') : undefined;
}

function supplierOf(component: JsonObject): string | undefined {
  const supplier = isObject(component.supplier) ? stringField(component.supplier, 'name') : undefined;
  return supplier ?? stringField(component, 'publisher') ?? stringField(component, 'author');
}

function toolsOf(metadata: JsonObject | undefined): string[] {
  const tools = metadata?.tools;
  const describe = (t: unknown): string[] => {
    if (!isObject(t)) return [];
    const name = [stringField(t, 'vendor'), stringField(t, 'name')].filter(Boolean).join(' ');
    const version = stringField(t, 'version');
    return name ? [version ? `${name} ${version}` : name] : [];
  };
  if (Array.isArray(tools)) return tools.flatMap(describe);
  if (isObject(tools)) {
    return [...(Array.isArray(tools.components) ? tools.components : []), ...(Array.isArray(tools.services) ? tools.services : [])].flatMap(
      describe,
    );
  }
  return [];
}

function walk(list: unknown, where: string, depth: number, out: SbomPackage[], problems: string[]): void {
  if (!Array.isArray(list)) {
    problems.push(`${where} is not a list.`);
    return;
  }
  if (depth > MAX_DEPTH) {
    problems.push(`${where} is nested more than ${MAX_DEPTH} levels deep; deeper components are not listed.`);
    return;
  }
  list.forEach((value: unknown, i: number) => {
    if (!isObject(value)) {
      problems.push(`${where}[${i}] is not an object.`);
      return;
    }
    const name = stringField(value, 'name');
    if (!name) problems.push(`${where}[${i}] has no name.`);
    const group = stringField(value, 'group');
    const purl = stringField(value, 'purl');
    const identity = packageIdentity(purl);
    out.push({
      name: group && name ? `${group}/${name}` : (name ?? '(no name)'),
      version: stringField(value, 'version'),
      ecosystem: identity?.ecosystem ?? stringField(value, 'type') ?? UNKNOWN_ECOSYSTEM,
      type: stringField(value, 'type'),
      licence: licenceOf(value),
      purl,
      supplier: supplierOf(value),
      image: identity?.image,
    });
    if (value.components !== undefined) walk(value.components, `${where}[${i}].components`, depth + 1, out, problems);
  });
}

export function isCycloneDx(json: unknown): boolean {
  return isObject(json) && json.bomFormat === 'CycloneDX';
}

export function readCycloneDx(json: unknown): Sbom {
  const problems: string[] = [];
  const base: Sbom = { format: 'CycloneDX', specVersion: '', tools: [], packages: [], ecosystems: [], problems };
  if (!isObject(json)) return { ...base, problems: ['The CycloneDX BOM is not a JSON object.'] };
  if (json.bomFormat !== 'CycloneDX') problems.push('bomFormat is not "CycloneDX".');
  const specVersion = stringField(json, 'specVersion') ?? '';
  if (!SUPPORTED.has(specVersion)) problems.push(`specVersion ${JSON.stringify(specVersion)} is not 1.4, 1.5 or 1.6; read as 1.6.`);
  const metadata = isObject(json.metadata) ? json.metadata : undefined;
  const described = isObject(metadata?.component) ? metadata.component : undefined;
  const packages: SbomPackage[] = [];
  if (json.components !== undefined) walk(json.components, 'components', 0, packages, problems);
  return {
    ...base,
    specVersion,
    name: described && [stringField(described, 'name'), stringField(described, 'version')].filter(Boolean).join(' '),
    created: metadata && stringField(metadata, 'timestamp'),
    tools: toolsOf(metadata),
    packages,
    ecosystems: countEcosystems(packages),
  };
}
