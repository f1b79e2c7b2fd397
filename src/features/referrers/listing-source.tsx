/**
 * Where a referrers list came from, and the proof for it. The Referrers API's answer is
 * generated per request, so it is hashed but not content-addressed and is never called
 * verified; the tag schema's index is a manifest by tag and verified like one; cosign's tags
 * are probed whatever the API says (distribution-spec "Listing Referrers", "Referrers Tag
 * Schema").
 */
import { Link } from 'react-router';
import type { CosignProbe, ReferrersList } from '../../oci/registry/referrers';
import { imageUrl } from '../../lib/view-urls';
import { ProblemsList } from '../../ui/problems-list';
import { DocumentProof } from '../../ui/document-proof';

function ApiSource({ list }: { list: ReferrersList }) {
  return (
    <section data-testid="referrers-source" data-source="api">
      <p>
        Listed by the registry’s Referrers API
        {list.apiPages.length > 1 ? ` (${list.apiPages.length} pages)` : ''}: an index the registry generated for this request, not
        content-addressed.
      </p>
      {list.apiPages.map((page, i) => (
        <div key={i}>
          <DocumentProof verification={page.fetched.verification} what="referrers list" />
          <ProblemsList problems={page.problems} />
        </div>
      ))}
    </section>
  );
}

function TagSchemaSource({ list }: { list: ReferrersList }) {
  const tagSchema = list.tagSchema!;
  return (
    <section data-testid="referrers-source" data-source="tag-schema">
      <p>
        This registry has no Referrers API (it answered{' '}
        {list.apiUnavailable?.status ? `HTTP ${list.apiUnavailable.status}` : 'that it is unsupported'}), so ociscope read the referrers tag
        schema instead:{' '}
        {tagSchema.index ? (
          <>
            the index under tag{' '}
            <Link to={imageUrl({ ...list.repo, tag: tagSchema.tag })} data-testid="referrers-tag">
              {tagSchema.tag}
            </Link>
            .
          </>
        ) : (
          <>
            there is no tag <code data-testid="referrers-tag">{tagSchema.tag}</code> either.
          </>
        )}
      </p>
      {tagSchema.index && (
        <>
          <DocumentProof verification={tagSchema.index.fetched.verification} what="referrers tag index" />
          <ProblemsList problems={tagSchema.index.problems} />
        </>
      )}
    </section>
  );
}

function probeText(probe: CosignProbe): string {
  if (probe.state === 'found') return 'found';
  if (probe.state === 'absent') return 'no such tag';
  return `could not be checked: ${probe.error ?? 'unknown error'}`;
}

function CosignProbes({ probes }: { probes: CosignProbe[] }) {
  if (probes.length === 0) return null;
  return (
    <section>
      <h3>cosign tags</h3>
      <p className="muted small">
        cosign stores signatures, attestations and SBOMs under tags named after the digest, without a subject, so they are looked up by
        name.
      </p>
      <ul className="cosign-probes">
        {probes.map((probe) => (
          <li key={probe.tag} data-testid="cosign-probe" data-state={probe.state}>
            <code>{probe.tag}</code> — {probeText(probe)}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ListingSource({ list }: { list: ReferrersList }) {
  return (
    <>
      {list.via === 'api' ? <ApiSource list={list} /> : <TagSchemaSource list={list} />}
      {list.stoppedEarly && <p className="warning">{list.stoppedEarly}</p>}
      <CosignProbes probes={list.cosign} />
    </>
  );
}
