/**
 * "Supply chain at a glance": what refers to an image, sorted into signatures, attestations
 * (SBOM, provenance, other) and other artifacts, and for each, which of its documents says
 * which image it is about, so one small fetch can cross-check it. A manifest's own `subject`
 * is enough; cosign's tag-found signatures and BuildKit's index attestations name the image
 * only inside a layer (the simple-signing payload, the statement in or under a DSSE envelope).
 */
import type { Descriptor } from '../spec/descriptor';
import type { ImageManifest } from '../spec/manifest';
import { essence } from '../spec/media-types';
import { type ArtifactCategory, identifyArtifact } from './artifact-types';
import { SIMPLE_SIGNING, checkSignedDigest, readSimpleSigning } from './cosign';
import { type CrossCheck, type Target, compareDigests } from './cross-check';
import { DSSE_ENVELOPE, readDsseEnvelope } from './dsse';
import { checkStatementSubject, readStatement } from './in-toto';
import { decodeJson } from './base64';
import { predicateInfo } from './predicate-types';

/** Layers above this are not fetched for a glance (SBOMs can be tens of MB); their page checks them. */
export const GLANCE_LAYER_LIMIT = 1024 * 1024;

export type GlanceKind = 'signature' | 'sbom' | 'provenance' | 'attestation' | 'other';

export type CheckPlan =
  | { kind: 'subject'; subject: Descriptor }
  | { kind: 'simple-signing' | 'statement' | 'dsse'; layer: Descriptor }
  | { kind: 'too-large'; layer: Descriptor }
  | { kind: 'none' };

const IN_TOTO = 'application/vnd.in-toto+json';

/** Which document of an artifact manifest names the image it is about. */
export function checkPlan(manifest: ImageManifest): CheckPlan {
  if (manifest.subject?.digestValid) return { kind: 'subject', subject: manifest.subject };
  const byType = (type: string) => manifest.layers.find((l) => l.digestValid && essence(l.mediaType ?? '') === type);
  const layer = byType(SIMPLE_SIGNING) ?? byType(IN_TOTO) ?? byType(DSSE_ENVELOPE);
  if (!layer) return { kind: 'none' };
  if (layer.size > GLANCE_LAYER_LIMIT) return { kind: 'too-large', layer };
  const type = essence(layer.mediaType ?? '');
  return { kind: type === SIMPLE_SIGNING ? 'simple-signing' : type === IN_TOTO ? 'statement' : 'dsse', layer };
}

/** The cross-check once the planned document is in hand (parsed JSON of the layer). */
export function crossCheckByPlan(plan: CheckPlan, json: unknown, target: Target): CrossCheck {
  switch (plan.kind) {
    case 'subject':
      return compareDigests('subject', [plan.subject.digest], target);
    case 'simple-signing':
      return checkSignedDigest(readSimpleSigning(json), target);
    case 'statement':
      return checkStatementSubject(readStatement(json), target);
    case 'dsse': {
      const envelope = readDsseEnvelope(json);
      const payload = envelope.payload ? decodeJson(envelope.payload, 'The DSSE payload') : undefined;
      if (!payload?.ok)
        return {
          status: 'unchecked',
          what: 'subject digest',
          found: [],
          note: `Not compared: ${payload?.problem ?? envelope.problems[0] ?? 'the envelope has no payload.'}`,
        };
      return checkStatementSubject(readStatement(payload.json), target);
    }
    case 'too-large':
      return {
        status: 'unchecked',
        what: 'subject digest',
        found: [],
        note: `Not compared here: its ${plan.layer.size.toLocaleString('en-US')}-byte document is checked when you open it.`,
      };
    case 'none':
      return { status: 'unchecked', what: 'subject', found: [], note: 'Not compared: nothing in it names the image it is about.' };
  }
}

const CATEGORY_KIND: Partial<Record<ArtifactCategory, GlanceKind>> = { signature: 'signature', sbom: 'sbom', attestation: 'attestation' };

/**
 * What an entry is, from what is known before fetching it: its artifact type, the cosign tag it
 * came from, and BuildKit's predicate-type annotations once its manifest is read.
 */
export function glanceKind(input: { artifactType?: string; cosignSuffix?: 'sig' | 'att' | 'sbom'; layers?: Descriptor[] }): GlanceKind {
  if (input.cosignSuffix === 'sig') return 'signature';
  if (input.cosignSuffix === 'sbom') return 'sbom';
  const predicates = (input.layers ?? [])
    .map((l) => l.annotations?.['in-toto.io/predicate-type'] ?? l.annotations?.predicateType)
    .filter((p): p is string => Boolean(p));
  const kinds = predicates.map((p) => predicateInfo(p).kind);
  if (kinds.includes('provenance')) return 'provenance';
  if (kinds.includes('spdx') || kinds.includes('cyclonedx')) return 'sbom';
  if (input.cosignSuffix === 'att' || kinds.length > 0) return 'attestation';
  const info = identifyArtifact([input.artifactType]);
  return (info && CATEGORY_KIND[info.category]) ?? 'other';
}
