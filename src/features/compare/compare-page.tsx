/**
 * `/?compare=REF_A&with=REF_B`: what changed between two images, from platforms down to file
 * contents, every document verified. Any two references work — tags or digests, other
 * repositories or registries, a layout opened in this tab — and each side is read on its own, so
 * one side failing says why in its own card while the other still shows. Two references to one
 * digest are identical; an index against a manifest compares the index's entry for the
 * manifest's platform; anything else compares what it has.
 */
import { imageTitle, useDocumentTitle } from '../../ui/document-title';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { type ManifestResult, manifestQuery } from '../../lib/queries/manifest-query';
import { jsonBlobQuery } from '../../lib/queries/blob-query';
import { useRetryProgress } from '../../lib/retry-progress';
import { type ComparisonPlan, planComparison } from '../../oci/compare/comparison-plan';
import { diffIndexes } from '../../oci/compare/index-diff';
import { entryForPlatform, parsePlatform, platformLabel } from '../../oci/compare/platform-match';
import { type Descriptor, type Platform, isAttestation } from '../../oci/spec/descriptor';
import { readImageConfig } from '../../oci/spec/image-config';
import type { ImageIndex, ImageManifest } from '../../oci/spec/manifest';
import { type ImageReference, formatReference } from '../../oci/spec/reference';
import { DocumentHeader } from '../../ui/document-header';
import { SectionBoundary } from '../../ui/section-boundary';
import { TrustedContent } from '../../ui/trusted-content';
import { type CompareLinkOptions, compareUrl } from '../../lib/view-urls';
import { IndexDiffSection } from './index-diff-section';
import { JsonDiffSection } from './json-diff-section';
import { type FilesystemControls, ManifestComparison } from './manifest-comparison';
import { IdenticalNotice } from './identical-notice';
import { SideCard } from './side-card';
import './compare.css';

export interface CompareViewProps {
  a: ImageReference;
  b: ImageReference;
  /** `platform=`: the platform of two indexes (or of an index against a manifest) to compare. */
  platform?: string;
  /** `fs=1`: the filesystem comparison was asked for. */
  filesystem: boolean;
  /** `dir=`: the directory the file list is narrowed to. */
  dir: string;
}

interface Loaded {
  ref: ImageReference;
  result: ManifestResult;
}

function platformEntries(index: ImageIndex): Descriptor[] {
  return index.manifests.filter((d) => !isAttestation(d) && d.digestValid);
}

function IndexesComparison({ a, b, platform, fs }: { a: Loaded; b: Loaded; platform?: string; fs: FilesystemControls }) {
  const indexA = a.result.document as ImageIndex;
  const indexB = b.result.document as ImageIndex;
  const wanted = platform === undefined ? undefined : parsePlatform(platform);
  const entryA = wanted && entryForPlatform(platformEntries(indexA), wanted);
  const entryB = wanted && entryForPlatform(platformEntries(indexB), wanted);
  return (
    <>
      <TrustedContent trusted={a.result.fetched.verification.trusted && b.result.fetched.verification.trusted}>
        <SectionBoundary name="The index comparison">
          <IndexDiffSection diff={diffIndexes(indexA, indexB)} refA={a.ref} refB={b.ref} />
        </SectionBoundary>
      </TrustedContent>
      {platform !== undefined && (
        <section className="compare-section" data-testid="platform-comparison">
          <h2>
            Platform <code>{platform}</code>{' '}
            <Link className="small" to={compareUrl(a.ref, b.ref)}>
              back to all platforms
            </Link>
          </h2>
          {!wanted && <p className="warning">“{platform}” is not a platform: write it as os/architecture or os/architecture/variant.</p>}
          {wanted && (!entryA || !entryB) && (
            <p className="warning" data-testid="platform-missing">
              {[!entryA && 'A', !entryB && 'B'].filter(Boolean).join(' and ')} {!entryA && !entryB ? 'have' : 'has'} no single entry for{' '}
              {platform}.
            </p>
          )}
        </section>
      )}
      {entryA && entryB && (
        <ManifestComparison
          key={`${entryA.digest} ${entryB.digest}`}
          a={{ repo: a.ref, digest: entryA.digest, descriptor: entryA, title: `A’s ${platform} manifest` }}
          b={{ repo: b.ref, digest: entryB.digest, descriptor: entryB, title: `B’s ${platform} manifest` }}
          fs={fs}
        />
      )}
      <SectionBoundary name="The index JSON">
        <JsonDiffSection title="Index JSON" a={a.result.fetched.text} b={b.result.fetched.text} testId="index-json-diff" />
      </SectionBoundary>
    </>
  );
}

/** The platform an image manifest runs on, from its config (the manifest itself does not say). */
function useManifestPlatform(side: Loaded): { platform?: Platform; pending: boolean } {
  const manifest = side.result.document as ImageManifest;
  const config = manifest.config;
  const query = useQuery({
    ...jsonBlobQuery(side.ref, config?.digest ?? '', { mediaType: config?.mediaType, size: config?.size }),
    enabled: Boolean(config?.digestValid),
  });
  if (!config?.digestValid) return { pending: false };
  const parsed = query.data?.verification.trusted ? readImageConfig(query.data.json) : undefined;
  const platform =
    parsed?.os && parsed.architecture
      ? { os: parsed.os, architecture: parsed.architecture, variant: parsed.variant, osVersion: parsed.osVersion }
      : undefined;
  return { platform, pending: query.isPending };
}

function IndexAndManifest({
  index,
  manifest,
  indexSide,
  platform,
  fs,
}: {
  index: Loaded;
  manifest: Loaded;
  indexSide: 'a' | 'b';
  platform?: string;
  fs: FilesystemControls;
}) {
  const own = useManifestPlatform(manifest);
  const wanted = (platform !== undefined ? parsePlatform(platform) : undefined) ?? own.platform;
  const entries = platformEntries(index.result.document as ImageIndex);
  const entry = entryForPlatform(entries, wanted);
  const indexName = indexSide === 'a' ? 'A' : 'B';
  const manifestName = indexSide === 'a' ? 'B' : 'A';
  if (own.pending && platform === undefined)
    return (
      <p className="loading">
        Reading {manifestName}’s config to find its platform in {indexName}…
      </p>
    );
  const [refA, refB] = indexSide === 'a' ? [index.ref, manifest.ref] : [manifest.ref, index.ref];
  if (!entry) {
    return (
      <section className="compare-section" data-testid="pick-platform">
        <p className="warning">
          {indexName} is an index and {manifestName} a single manifest
          {wanted ? `, but ${indexName} has no single entry for ${platformLabel(wanted)}` : ` whose platform is not known`}. Pick one of{' '}
          {indexName}’s platforms to compare with {manifestName}:
        </p>
        <ul>
          {entries.map((d) => (
            <li key={d.digest}>
              <Link
                to={compareUrl(refA, refB, { platform: d.platform ? platformLabel({ ...d.platform, osVersion: undefined }) : undefined })}
              >
                {platformLabel(d.platform)}
              </Link>
            </li>
          ))}
        </ul>
      </section>
    );
  }
  const child = {
    repo: index.ref,
    digest: entry.digest,
    descriptor: entry,
    title: `${indexName}’s ${platformLabel(entry.platform)} manifest`,
  };
  const single = {
    repo: manifest.ref,
    digest: manifest.result.fetched.digest,
    result: manifest.result,
    title: `${manifestName}’s manifest`,
  };
  return (
    <>
      <p className="compare-note" data-testid="index-narrowed">
        {indexName} is an image index: comparing its {platformLabel(entry.platform)} manifest with {manifestName}.
      </p>
      <ManifestComparison a={indexSide === 'a' ? child : single} b={indexSide === 'a' ? single : child} fs={fs} />
    </>
  );
}

function Comparison({
  plan,
  a,
  b,
  view,
  fs,
}: {
  plan: ComparisonPlan;
  a: Loaded;
  b: Loaded;
  view: CompareViewProps;
  fs: FilesystemControls;
}) {
  switch (plan.kind) {
    case 'identical':
      return (
        <IdenticalNotice digest={plan.digest} trusted={a.result.fetched.verification.trusted && b.result.fetched.verification.trusted} />
      );
    case 'indexes':
      return <IndexesComparison a={a} b={b} platform={view.platform} fs={fs} />;
    case 'manifests':
      return (
        <ManifestComparison
          a={{ repo: a.ref, digest: a.result.fetched.digest, result: a.result, title: 'A' }}
          b={{ repo: b.ref, digest: b.result.fetched.digest, result: b.result, title: 'B' }}
          fs={fs}
        />
      );
    case 'index-and-manifest':
      return plan.index === 'a' ? (
        <IndexAndManifest index={a} manifest={b} indexSide="a" platform={view.platform} fs={fs} />
      ) : (
        <IndexAndManifest index={b} manifest={a} indexSide="b" platform={view.platform} fs={fs} />
      );
    case 'documents':
      return (
        <>
          <p className="compare-note">{plan.reason}</p>
          <JsonDiffSection title="JSON" a={a.result.fetched.text} b={b.result.fetched.text} testId="document-json-diff" />
        </>
      );
  }
}

export function ComparePage(view: CompareViewProps) {
  const navigate = useNavigate();
  useDocumentTitle([`${imageTitle(view.a)} ⇄ ${imageTitle(view.b)}`, 'compare']);
  const optionsA = manifestQuery(view.a);
  const optionsB = manifestQuery(view.b);
  const qa = useQuery(optionsA);
  const qb = useQuery(optionsB);
  const retryA = useRetryProgress(optionsA.queryKey);
  const retryB = useRetryProgress(optionsB.queryKey);
  const link = (change: CompareLinkOptions) =>
    compareUrl(view.a, view.b, { platform: view.platform, filesystem: view.filesystem, dir: view.dir, ...change });
  const fs: FilesystemControls = {
    started: view.filesystem,
    onStart: () => navigate(link({ filesystem: true }), { replace: true }),
    dir: view.dir,
    onDir: (dir) => navigate(link({ dir }), { replace: true }),
  };
  const failed = [qa.isError && 'A', qb.isError && 'B'].filter(Boolean);
  return (
    <article className="document compare-page" data-testid="compare-page">
      <DocumentHeader context="Comparison of two images" title={`${formatReference(view.a)}  ⇄  ${formatReference(view.b)}`} />
      <div className="compare-sides">
        <SideCard side="A" reference={view.a} query={qa} retrying={retryA} />
        <SideCard side="B" reference={view.b} query={qb} retrying={retryB} />
      </div>
      {failed.length > 0 && (
        <p className="warning" data-testid="side-failed">
          {failed.length === 2
            ? 'Neither side could be read, so there is nothing to compare.'
            : `${failed[0]} could not be read (its card above says why), so nothing can be compared; ${failed[0] === 'A' ? 'B' : 'A'} is shown on its own.`}
        </p>
      )}
      {qa.data && qb.data && (
        <Comparison
          plan={planComparison(
            { digest: qa.data.fetched.digest, document: qa.data.document },
            { digest: qb.data.fetched.digest, document: qb.data.document },
          )}
          a={{ ref: view.a, result: qa.data }}
          b={{ ref: view.b, result: qb.data }}
          view={view}
          fs={fs}
        />
      )}
    </article>
  );
}
