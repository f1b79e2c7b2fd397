/**
 * SPDX 2.2 and 2.3 documents in their JSON serialisation (spdx-spec v2.3 chapters 6–7, the JSON
 * schema's field names): the document's creation info, and each package's name, versionInfo,
 * supplier, licences (concluded, else declared; NOASSERTION and NONE are not licences) and its
 * purl from externalRefs (`PACKAGE-MANAGER` / `purl`; 2.2 tools also wrote `PACKAGE_MANAGER`).
 */
import { type JsonObject, isObject, stringField } from '../spec/descriptor';
import { type Sbom, type SbomPackage, UNKNOWN_ECOSYSTEM, countEcosystems, packageIdentity } from './sbom';

const NOT_A_VALUE = new Set(['NOASSERTION', 'NONE', '']);

function meaningful(value: string | undefined): string | undefined {
  return value !== undefined && !NOT_A_VALUE.has(value.trim()) ? value : undefined;
}

function purlOf(pkg: JsonObject): string | undefined {
  if (!Array.isArray(pkg.externalRefs)) return undefined;
  for (const ref of pkg.externalRefs) {
    if (isObject(ref) && stringField(ref, 'referenceType') === 'purl') {
      const locator = stringField(ref, 'referenceLocator');
      if (locator) return locator;
    }
  }
  return undefined;
}

/** "Organization: Acme (x@y)" → "Acme (x@y)"; the prefix says what kind of party it is. */
function supplierOf(value: string | undefined): string | undefined {
  const v = meaningful(value);
  return v?.replace(/^(Organization|Person|Tool):\s*/, '');
}

function readPackage(value: unknown, i: number, problems: string[]): SbomPackage | undefined {
  if (!isObject(value)) {
    problems.push(`packages[${i}] is not an object.`);
    return undefined;
  }
  const name = stringField(value, 'name');
  if (!name) problems.push(`packages[${i}] has no name.`);
  const purl = purlOf(value);
  const identity = packageIdentity(purl);
  return {
    name: name ?? '(no name)',
    version: meaningful(stringField(value, 'versionInfo')),
    ecosystem: identity?.ecosystem ?? UNKNOWN_ECOSYSTEM,
    type: stringField(value, 'primaryPackagePurpose')?.toLowerCase(),
    licence: meaningful(stringField(value, 'licenseConcluded')) ?? meaningful(stringField(value, 'licenseDeclared')),
    purl,
    supplier: supplierOf(stringField(value, 'supplier')) ?? supplierOf(stringField(value, 'originator')),
    image: identity?.image,
  };
}

export function isSpdxDocument(json: unknown): boolean {
  return isObject(json) && typeof json.spdxVersion === 'string';
}

export function readSpdx(json: unknown): Sbom {
  const problems: string[] = [];
  const base: Sbom = { format: 'SPDX', specVersion: '', tools: [], packages: [], ecosystems: [], problems };
  if (!isObject(json)) return { ...base, problems: ['The SPDX document is not a JSON object.'] };
  const specVersion = stringField(json, 'spdxVersion') ?? '';
  if (!specVersion) problems.push('The document has no spdxVersion: it is not SPDX JSON.');
  else if (specVersion.startsWith('SPDX-3'))
    problems.push(`${specVersion} is JSON-LD, which this viewer does not read; the packages below may be missing.`);
  else if (specVersion !== 'SPDX-2.2' && specVersion !== 'SPDX-2.3') problems.push(`${specVersion} is not SPDX 2.2 or 2.3; read as 2.3.`);
  const creation = isObject(json.creationInfo) ? json.creationInfo : undefined;
  const creators = Array.isArray(creation?.creators) ? creation.creators.filter((c): c is string => typeof c === 'string') : [];
  const packages: SbomPackage[] = [];
  if (json.packages !== undefined && !Array.isArray(json.packages)) problems.push('packages is not a list.');
  else
    (json.packages ?? []).forEach((p: unknown, i: number) => {
      const pkg = readPackage(p, i, problems);
      if (pkg) packages.push(pkg);
    });
  return {
    ...base,
    specVersion,
    name: stringField(json, 'name'),
    created: creation && stringField(creation, 'created'),
    tools: creators,
    packages,
    ecosystems: countEcosystems(packages),
  };
}
