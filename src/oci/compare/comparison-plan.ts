/**
 * What can be compared between two documents, decided before anything else is fetched: two
 * references naming the same digest are identical, however they were written; two indexes
 * compare platform by platform; an index against a manifest compares the index's entry for the
 * manifest's platform; two manifests compare descriptors, and also configs and filesystems when
 * both sides are container images. Anything else (schema 1, unknown documents) still compares
 * what it has: its JSON.
 */
import { kindOf } from '../spec/media-types';
import type { ImageManifest, RegistryDocument } from '../spec/manifest';

export type ComparisonPlan =
  | { kind: 'identical'; digest: string }
  | { kind: 'indexes' }
  | { kind: 'manifests' }
  | { kind: 'index-and-manifest'; index: 'a' | 'b' }
  | { kind: 'documents'; reason: string };

export interface ComparedDocument {
  /** The digest that addresses the document (computed, when it was fetched by tag). */
  digest: string;
  document: RegistryDocument;
}

function describe(document: RegistryDocument): string {
  return document.kind === 'schema1' ? 'a Docker schema 1 manifest' : 'not an index or manifest ociscope can read';
}

export function planComparison(a: ComparedDocument, b: ComparedDocument): ComparisonPlan {
  if (a.digest === b.digest) return { kind: 'identical', digest: a.digest };
  const ka = a.document.kind;
  const kb = b.document.kind;
  if (ka === 'index' && kb === 'index') return { kind: 'indexes' };
  if (ka === 'manifest' && kb === 'manifest') return { kind: 'manifests' };
  if (ka === 'index' && kb === 'manifest') return { kind: 'index-and-manifest', index: 'a' };
  if (ka === 'manifest' && kb === 'index') return { kind: 'index-and-manifest', index: 'b' };
  const odd = ka !== 'index' && ka !== 'manifest' ? `A is ${describe(a.document)}` : `B is ${describe(b.document)}`;
  return { kind: 'documents', reason: `${odd}, so only the JSON is compared.` };
}

/** Whether a part of two manifests can be compared, and if not, why not in a sentence. */
export type SectionAvailability = { available: true } | { available: false; reason: string };

function imageConfigMissing(manifest: ImageManifest): boolean {
  const config = manifest.config;
  return !config || !config.digestValid || kindOf(config.mediaType) !== 'config';
}

/** The configs compare when both are image configs (an artifact's config is often the empty `{}`). */
export function configSection(a: ImageManifest, b: ImageManifest): SectionAvailability {
  const missing = [imageConfigMissing(a) && 'A', imageConfigMissing(b) && 'B'].filter(Boolean);
  if (missing.length === 0) return { available: true };
  return {
    available: false,
    reason: `${missing.join(' and ')} ${missing.length === 2 ? 'have' : 'has'} no image config (artifacts carry their own kind of config), so there are no settings to compare.`,
  };
}

function nonLayer(manifest: ImageManifest): number {
  return manifest.layers.filter((d) => !d.digestValid || kindOf(d.mediaType) !== 'layer').length;
}

/** The filesystems compare when every layer of both sides is a tar layer that can be fetched. */
export function filesystemSection(a: ImageManifest, b: ImageManifest): SectionAvailability {
  if (a.layers.length === 0 && b.layers.length === 0) return { available: false, reason: 'Neither side has layers.' };
  const odd = [
    [nonLayer(a), 'A'],
    [nonLayer(b), 'B'],
  ].filter(([count]) => (count as number) > 0);
  if (odd.length === 0) return { available: true };
  const which = odd.map(
    ([count, side]) => `${side} has ${count} blob${count === 1 ? '' : 's'} that ${count === 1 ? 'is' : 'are'} not a tar layer`,
  );
  return { available: false, reason: `${which.join(' and ')}, so there is no filesystem to rebuild from its layers.` };
}
