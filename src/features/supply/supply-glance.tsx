/**
 * "Supply chain at a glance" for an image page: how many signatures, SBOMs, provenance and
 * other attestations refer to this image, where each was found (Referrers API, referrers tag,
 * cosign tag, BuildKit's entries in the index), each one's cross-check, and a link to each.
 */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { type Descriptor, formatPlatform, isAttestation } from '../../oci/spec/descriptor';
import type { RegistryDocument } from '../../oci/spec/manifest';
import type { Referrer, ReferrerSource } from '../../oci/registry/referrers';
import { type GlanceKind, glanceKind } from '../../oci/supply/glance';
import { referrersQuery } from '../../lib/queries/referrers-query';
import { type RepositoryName, imageByDigestUrl, referrersUrl, withAbout } from '../../lib/view-urls';
import { ProofMark } from '../../ui/proof-mark';
import { StatusMark } from './status-mark';
import { useArtifactCheck } from './use-artifact-check';
import './supply.css';

interface GlanceEntry {
  digest: string;
  mediaType?: string;
  size?: number;
  artifactType?: string;
  foundVia: string;
  cosignSuffix?: 'sig' | 'att' | 'sbom';
  /** The image this entry is about: the page's own digest, or a platform manifest of the index. */
  about: string;
  aboutLabel?: string;
}

const KIND_LABEL: Record<GlanceKind, string> = {
  signature: 'Signature',
  sbom: 'SBOM',
  provenance: 'Provenance',
  attestation: 'Attestation',
  other: 'Artifact',
};

function sourceText(source: ReferrerSource): string {
  if (source.kind === 'api') return 'Referrers API';
  if (source.kind === 'tag-schema') return `referrers tag ${source.tag}`;
  return `cosign tag ${source.tag}`;
}

function fromReferrer(r: Referrer, about: string): GlanceEntry {
  const cosign = r.sources.find((s) => s.kind === 'cosign-tag');
  return {
    digest: r.descriptor.digest,
    mediaType: r.descriptor.mediaType,
    size: r.descriptor.size,
    artifactType: r.artifactType,
    foundVia: r.sources.map(sourceText).join(', '),
    cosignSuffix: cosign?.kind === 'cosign-tag' ? cosign.suffix : undefined,
    about,
  };
}

function fromAttestation(d: Descriptor, platforms: Map<string, string>): GlanceEntry | undefined {
  const about = d.annotations?.['vnd.docker.reference.digest'];
  if (!d.digestValid || !about) return undefined;
  return {
    digest: d.digest,
    mediaType: d.mediaType,
    size: d.size,
    foundVia: 'the image index (BuildKit)',
    about,
    aboutLabel: platforms.get(about),
  };
}

function GlanceRow({ repo, entry }: { repo: RepositoryName; entry: GlanceEntry }) {
  const { check, pending, manifest } = useArtifactCheck(repo, entry.digest, {
    digest: entry.about,
    source: entry.aboutLabel ? `the ${entry.aboutLabel} image` : 'this image',
  });
  const layers = manifest?.document.kind === 'manifest' ? manifest.document.layers : undefined;
  const kind = glanceKind({ artifactType: entry.artifactType, cosignSuffix: entry.cosignSuffix, layers });
  return (
    <li data-testid="glance-entry" data-kind={kind} data-status={check?.status ?? 'pending'}>
      {check ? <StatusMark status={check.status} /> : <ProofMark state="pending" />}{' '}
      <Link
        to={withAbout(imageByDigestUrl(repo, entry.digest, { mediaType: entry.mediaType, size: entry.size }), entry.about)}
        data-testid="glance-link"
      >
        {KIND_LABEL[kind]}
      </Link>
      {entry.aboutLabel && <span className="muted"> for {entry.aboutLabel}</span>}{' '}
      <span className="small muted">found via {entry.foundVia}</span>
      <div className={`small ${check?.status === 'mismatch' ? 'warning' : 'muted'}`} data-testid="glance-note">
        {pending ? 'Checking which image it is about…' : check?.note}
      </div>
    </li>
  );
}

export function SupplyGlance({ repo, digest, document }: { repo: RepositoryName; digest: string; document: RegistryDocument }) {
  const referrers = useQuery(referrersQuery(repo, digest));
  const platforms = new Map<string, string>();
  const attestations: GlanceEntry[] = [];
  if (document.kind === 'index') {
    for (const d of document.manifests) if (d.platform && !isAttestation(d)) platforms.set(d.digest, formatPlatform(d.platform));
    for (const d of document.manifests.filter(isAttestation)) {
      const entry = fromAttestation(d, platforms);
      if (entry) attestations.push(entry);
    }
  }
  const entries = [...attestations, ...(referrers.data?.referrers ?? []).map((r) => fromReferrer(r, digest))];
  return (
    <section className="supply-section" data-testid="supply-glance">
      <h3>
        Supply chain <span className="count">{entries.length}</span>{' '}
        <Link to={referrersUrl(repo, digest)} className="small">
          all referrers
        </Link>
      </h3>
      {referrers.isPending && <p className="loading small">Looking for signatures and attestations…</p>}
      {referrers.isError && <p className="warning small">Referrers could not be listed: {referrers.error.message}</p>}
      {entries.length === 0 && !referrers.isPending && (
        <p className="muted small" data-testid="glance-empty">
          No signatures, attestations or other artifacts refer to this {document.kind === 'index' ? 'index' : 'manifest'}.
        </p>
      )}
      <ul className="glance-list">
        {entries.map((entry) => (
          <GlanceRow key={`${entry.digest}-${entry.about}`} repo={repo} entry={entry} />
        ))}
      </ul>
    </section>
  );
}
