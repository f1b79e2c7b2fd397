/**
 * The one package table both SBOM formats are read into (spdx.ts, cyclonedx.ts): name,
 * version, ecosystem, licence, purl, supplier; counts per ecosystem; and the document's own
 * facts (format and version, name, when and by what it was made). A package whose purl names a
 * container image keeps that reference, so the table can link back into ociscope.
 */
import type { ImageReference } from '../spec/reference';
import { imageReferenceOfPurl, parsePurl, purlType } from './purl';

export interface SbomPackage {
  name: string;
  version?: string;
  /** The purl type (npm, deb, golang, …), else the format's own package type. */
  ecosystem: string;
  /** SPDX primaryPackagePurpose, CycloneDX component type. */
  type?: string;
  licence?: string;
  purl?: string;
  supplier?: string;
  /** For pkg:docker / pkg:oci purls: the image, for a link. */
  image?: ImageReference;
}

export interface Sbom {
  format: 'SPDX' | 'CycloneDX';
  specVersion: string;
  name?: string;
  created?: string;
  tools: string[];
  packages: SbomPackage[];
  /** Ecosystems by package count, largest first. */
  ecosystems: Array<{ ecosystem: string; count: number }>;
  problems: string[];
}

/** Shown for a package whose purl and format name no ecosystem. */
export const UNKNOWN_ECOSYSTEM = 'unknown';

/** The ecosystem of a purl, and its image when it names one. */
export function packageIdentity(purl: string | undefined): Pick<SbomPackage, 'ecosystem' | 'image'> | undefined {
  if (!purl) return undefined;
  const type = purlType(purl);
  if (!type) return undefined;
  if (type !== 'docker' && type !== 'oci') return { ecosystem: type };
  const parsed = parsePurl(purl);
  return { ecosystem: type, image: parsed.ok ? imageReferenceOfPurl(parsed.purl) : undefined };
}

export function countEcosystems(packages: SbomPackage[]): Sbom['ecosystems'] {
  const counts = new Map<string, number>();
  for (const p of packages) counts.set(p.ecosystem, (counts.get(p.ecosystem) ?? 0) + 1);
  return [...counts.entries()]
    .map(([ecosystem, count]) => ({ ecosystem, count }))
    .sort((a, b) => b.count - a.count || a.ecosystem.localeCompare(b.ecosystem));
}

/** Case-insensitive match on name, version, ecosystem, licence, purl and supplier. */
export function filterPackages(packages: SbomPackage[], query: string, ecosystem?: string): SbomPackage[] {
  const q = query.trim().toLowerCase();
  return packages.filter(
    (p) =>
      (ecosystem === undefined || p.ecosystem === ecosystem) &&
      (q === '' || [p.name, p.version, p.ecosystem, p.licence, p.purl, p.supplier].some((f) => f?.toLowerCase().includes(q))),
  );
}
