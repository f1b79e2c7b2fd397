/**
 * The shape of an opened layout, shared by the OCI layout reader and the docker-archive reader
 * (each produces it; neither needs the other's code for it).
 */
import type { UnreachedBlob } from './unreached-blobs';

/** A blob index.json does not reach, described by its bytes (unreached-blobs.ts). */
export type { UnreachedBlob };

/** One descriptor of index.json, as the layout page lists it. */
export interface LayoutEntry {
  digest: string;
  mediaType?: string;
  size?: number;
  /** `os/architecture[/variant]` when the descriptor has a platform. */
  platform?: string;
  /** The `org.opencontainers.image.ref.name` annotation, as written. */
  refName?: string;
  /** docker-archive: manifest.json's RepoTags, as written. */
  repoTags?: string[];
  /** docker-archive: the tags the synthesized manifest is served under. */
  tags?: string[];
  /** Whether the layout holds the blob. */
  present: boolean;
}

/** A blob some descriptor names that the layout does not hold. */
export interface MissingBlob {
  digest: string;
  mediaType?: string;
  /** 'index.json' or the digest of the document whose descriptor names it. */
  referencedBy: string;
}

/** Something wrong that does not stop the rest from being browsed, e.g. a file not matching its name. */
export interface LayoutProblem {
  message: string;
  /** The blob the problem is about, when it is served (opening it shows the details). */
  digest?: string;
  mediaType?: string;
}

/** A layout opened from disk, as the virtual registry serves it. */
export interface OciLayout {
  source: { kind: 'tar' | 'directory'; name: string };
  /** An OCI image layout, or a docker-archive whose manifests ociscope synthesized (docker-archive.ts). */
  format: 'oci-layout' | 'docker-archive';
  /** The oci-layout file's version; a docker-archive has none. */
  imageLayoutVersion: string | undefined;
  /**
   * index.json exactly as stored: it has no digest of its own, so it is served by tag only.
   * A docker-archive has none.
   */
  indexBytes: Uint8Array<ArrayBuffer> | undefined;
  /** index.json's descriptors, or a docker-archive's synthesized manifests. */
  entries: LayoutEntry[];
  /** Tag → manifest digest: ref.names valid as tags (the first entry wins), or docker-archive tags. */
  tags: ReadonlyMap<string, string>;
  /** `alg:encoded` → the blob's bytes (a slice of the tar, or the file). */
  blobs: ReadonlyMap<string, Blob>;
  /** Digest → the media type the first descriptor naming it gave, from index.json down. */
  mediaTypes: ReadonlyMap<string, string>;
  missing: MissingBlob[];
  problems: LayoutProblem[];
  /** How the layout was read when it departs from the plain case (e.g. opened through manifest.json). */
  notes: string[];
  /** Blobs held that nothing in index.json reaches, and what each is. */
  unreached: UnreachedBlob[];
  /** Unreached blobs beyond the ones described. */
  undescribedBlobs: number;
}
