/**
 * What an opened layout holds (image-layout.md "index.json file"): its version, index.json's
 * entries with media type, platform, `org.opencontainers.image.ref.name` and size, and the
 * blobs descriptors name but the layout lacks. Every entry links into the ordinary pages,
 * which fetch from this tab's copy and verify each blob as they would a registry's.
 * A docker-archive has no index.json: its images are the manifests ociscope synthesized, listed
 * with their RepoTags under a plain note saying so, and what could not be proved (a config not
 * matching its name, diff_ids not matching the layers) is listed as a problem.
 * Everything here comes from the user's file, so it is rendered as text only.
 */
import { Link } from 'react-router';
import type { LoadedLayout } from '../../lib/local-layouts';
import { type RepositoryName, blobUrl, fsUrl, imageByDigestUrl, imageUrl, repoUrl } from '../../lib/view-urls';
import { describeTarget } from '../../oci/layout/unreached-blobs';
import { isManifestType } from '../../oci/spec/media-types';
import { SYNTHESIZED_ANNOTATION, SYNTHESIZED_NOTE } from '../../oci/layout/docker-archive';
import { isDigest } from '../../oci/spec/reference';
import { Digest } from '../../ui/digest-value';
import { MediaTypeText } from '../../ui/media-type-text';
import { SizeText } from '../../ui/size-text';
import { INDEX_JSON_TAG, LAYOUT_REPOSITORY } from '../../oci/layout/layout-host';
import type { LayoutEntry, LayoutProblem, MissingBlob, UnreachedBlob } from '../../oci/layout/types';

type LayoutRepo = { registry: string; repository: string };

function entryUrl(repo: LayoutRepo, e: LayoutEntry): string {
  const hints = { mediaType: e.mediaType, size: e.size };
  // index.json may list any descriptor; only manifests and indexes open on the image page.
  return e.mediaType === undefined || isManifestType(e.mediaType)
    ? imageByDigestUrl(repo, e.digest, hints)
    : blobUrl(repo, e.digest, hints);
}

/** A docker-archive image's tags, each a link, then its RepoTags as manifest.json wrote them. */
function ArchiveTags({ repo, entry }: { repo: LayoutRepo; entry: LayoutEntry }) {
  return (
    <>
      {entry.tags?.map((tag, i) => (
        <span key={tag}>
          {i > 0 && ', '}
          <Link to={imageUrl({ ...repo, tag })} data-testid="layout-entry-tag">
            {tag}
          </Link>
        </span>
      ))}
      {entry.repoTags && entry.repoTags.length > 0 && <div className="muted small">RepoTags: {entry.repoTags.join(', ')}</div>}
    </>
  );
}

function Problems({ repo, problems }: { repo: LayoutRepo; problems: LayoutProblem[] }) {
  return (
    <section className="error-panel" role="alert" data-testid="layout-problems">
      <h2>
        Problems <span className="count">{problems.length}</span>
      </h2>
      <ul>
        {problems.map((p, i) => (
          <li key={i} data-testid="layout-problem">
            {p.message} {p.digest !== undefined && <Digest value={p.digest} to={blobUrl(repo, p.digest, { mediaType: p.mediaType })} />}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** index.json's descriptors, or a docker-archive's synthesized manifests, each linked when its digest can be. */
function EntriesTable({ repo, entries, archive }: { repo: RepositoryName; entries: LayoutEntry[]; archive: boolean }) {
  return (
    <table className="grid" data-testid="layout-entries">
      <thead>
        <tr>
          <th>{archive ? 'Tags' : 'ref.name'}</th>
          <th>Platform</th>
          <th className="num">Size</th>
          <th>Digest</th>
          <th>Media type</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e, i) => (
          <tr key={`${e.digest}-${i}`} data-testid="layout-entry" data-present={e.present}>
            <td>
              {archive || e.tags !== undefined ? <ArchiveTags repo={repo} entry={e} /> : (e.refName ?? <span className="muted">none</span>)}
            </td>
            <td>{e.platform ?? <span className="muted">none</span>}</td>
            <td className="num">{e.size === undefined ? '' : <SizeText bytes={e.size} />}</td>
            <td>
              {isDigest(e.digest) ? <Digest value={e.digest} to={entryUrl(repo, e)} /> : <code>{e.digest}</code>}
              {!e.present && <span className="missing-flag"> missing from the layout</span>}
            </td>
            <td>
              <MediaTypeText mediaType={e.mediaType} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Blobs some descriptor names that the layout does not hold. */
function MissingBlobs({ missing }: { missing: MissingBlob[] }) {
  if (missing.length === 0) return null;
  return (
    <section data-testid="missing-blobs">
      <h3>
        Missing blobs <span className="count">{missing.length}</span>
      </h3>
      <p className="muted">
        Descriptors name these blobs but the layout does not hold them. A layout may leave blobs to another store (image-layout.md “Blobs”);
        their pages will say they are unknown.
      </p>
      <ul>
        {missing.map((m) => (
          <li key={`${m.digest}-${m.referencedBy}`} data-testid="missing-blob">
            <Digest value={m.digest} full /> <MediaTypeText mediaType={m.mediaType} />{' '}
            <span className="muted">
              named by {m.referencedBy === INDEX_JSON_TAG ? 'index.json' : <Digest value={m.referencedBy} copy={false} />}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Where a blob index.json does not reach opens: by what its bytes are. */
function unreachedUrl(repo: LayoutRepo, blob: UnreachedBlob): string {
  const { target } = blob;
  if (target.kind === 'index' || target.kind === 'manifest')
    return imageByDigestUrl(repo, blob.digest, { mediaType: target.mediaType, size: blob.size });
  if (target.kind === 'layer') return fsUrl(repo, blob.digest, '', { size: blob.size });
  return blobUrl(repo, blob.digest, { size: blob.size });
}

/** Blobs the layout holds that nothing in index.json reaches, each with what it is. */
function UnreachedBlobs({ repo, layout }: { repo: LayoutRepo; layout: LoadedLayout['layout'] }) {
  if (layout.unreached.length === 0) return null;
  return (
    <section data-testid="unreached-blobs">
      <h3>
        Blobs index.json does not reach <span className="count">{layout.unreached.length + layout.undescribedBlobs}</span>
      </h3>
      <p className="muted">Each is named by what its own bytes are; opening it verifies it against its file name like any other blob.</p>
      <ul>
        {layout.unreached.map((b) => (
          <li key={b.digest} data-testid="unreached-blob" data-kind={b.target.kind}>
            <Digest value={b.digest} to={unreachedUrl(repo, b)} /> <span data-testid="unreached-what">{describeTarget(b.target)}</span>
            {'mediaType' in b.target && b.target.mediaType && (
              <>
                {' '}
                <MediaTypeText mediaType={b.target.mediaType} />
              </>
            )}{' '}
            <span className="muted">
              <SizeText bytes={b.size} />
              {b.viaManifestJson && ' · named by manifest.json'}
            </span>
          </li>
        ))}
      </ul>
      {layout.undescribedBlobs > 0 && <p className="muted">{layout.undescribedBlobs} more were not read.</p>}
    </section>
  );
}

/** What a layout opened from disk holds, and where to start browsing it. */
export function LayoutSummary({ loaded }: { loaded: LoadedLayout }) {
  const { host, layout } = loaded;
  const repo = { registry: host, repository: LAYOUT_REPOSITORY };
  const archive = layout.format === 'docker-archive';
  return (
    <section className="layout-summary" data-testid="layout" data-host={host} data-format={layout.format}>
      <h2>
        {layout.source.name} <span className="muted small">({layout.source.kind === 'tar' ? 'tar archive' : 'directory'})</span>
      </h2>
      <p>
        {archive ? (
          <>
            A docker-archive (<code>docker save</code> before Docker 25, <code>podman save</code>): <code>manifest.json</code> and no OCI
            layout
          </>
        ) : (
          <>
            Image layout version <code data-testid="layout-version">{layout.imageLayoutVersion}</code>
          </>
        )}{' '}
        · {layout.blobs.size} blobs · browsed as <code>{host}</code> in this tab
      </p>
      {archive ? (
        <p className="layout-synthesized" data-testid="layout-synthesized">
          <strong>The image manifests below were {SYNTHESIZED_NOTE}.</strong> A docker-archive stores none; each synthesized manifest says
          so in its <code>{SYNTHESIZED_ANNOTATION}</code> annotation. Configs were checked against their file names when the archive was
          opened; a layer is hashed, and checked against its diff_id, when you open it. <Link to={repoUrl(repo)}>All its tags</Link>.
        </p>
      ) : (
        <p>
          <Link to={imageUrl({ ...repo, tag: INDEX_JSON_TAG })} data-testid="layout-index-link">
            index.json
          </Link>{' '}
          <span className="muted">— the layout’s entry point (it has no digest of its own)</span> ·{' '}
          <Link to={repoUrl(repo)}>its tags (ref.name annotations)</Link>
        </p>
      )}
      {layout.notes.map((note) => (
        <p className="warning" key={note} data-testid="layout-note">
          {note}
        </p>
      ))}
      {layout.problems.length > 0 && <Problems repo={repo} problems={layout.problems} />}
      <EntriesTable repo={repo} entries={layout.entries} archive={archive} />
      <MissingBlobs missing={layout.missing} />
      <UnreachedBlobs repo={repo} layout={layout} />
    </section>
  );
}
