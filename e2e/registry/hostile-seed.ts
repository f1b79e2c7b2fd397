/**
 * Hostile registry content for e2e/hostile.spec.ts (issue 4, "Security"): documents a malicious
 * registry could serve, to prove that registry-controlled strings never execute and never break
 * the page. Script and HTML in annotation keys and values, `javascript:` / `data:` URLs where the
 * app makes links (annotations, labels, descriptor `urls`), 10,000-deep nesting, a 100,000-element
 * array and invalid UTF-8.
 *
 * Each document is pushed as is; whatever distribution 2.8 refuses is recorded in `refused`
 * (with the registry's own words) rather than failing the seed, because what the registry lets
 * through is itself a finding, and the spec then opens only what was stored. Documents are built
 * as bytes, never via a serialiser that could "fix" them (invalid UTF-8 has to stay invalid).
 */
import { gzipSync } from 'node:zlib';
import { PushError, pushBlob, pushManifest } from './push.ts';
import { concatBytes } from '../../src/test-support/bytes.ts';
import { sha256Digest } from '../../src/test-support/digest.ts';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const OCI_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';
const OCI_FOREIGN_LAYER_GZIP = 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip';

/** Sets `window.__pwned` and opens a dialog if it ever runs; the spec watches for both. */
const PAYLOAD = 'window.__pwned=1;alert(1)';

/** Registry-controlled strings as an attacker would write them to get markup or a live link. */
export const HOSTILE_STRINGS = {
  script: `<script>${PAYLOAD}</script>`,
  imgOnError: `<img src=x onerror="${PAYLOAD}">`,
  javascriptUrl: `javascript:${PAYLOAD}`,
  mixedCaseJavascript: `JaVaScRiPt:${PAYLOAD}`,
  spacedJavascript: `  javascript:${PAYLOAD}`,
  dataUrl: `data:text/html,<script>${PAYLOAD}</script>`,
  dataBase64: 'data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+',
  vbscript: 'vbscript:msgbox(1)',
  htmlKey: `<b onmouseover="${PAYLOAD}">bold key</b>`,
  iframe: `<iframe src="javascript:${PAYLOAD}"></iframe>`,
} as const;

/** The one legitimate link among the hostile annotations: proves linking still works. */
export const SAFE_LINK = 'https://example.com/source';

/** Nesting depth of the deep document's extra field (the 10,000). */
export const DEEP_NESTING = 10_000;
/** Elements in the wide document's extra array. */
export const WIDE_ELEMENTS = 100_000;

export type HostileKind = 'markup' | 'foreign-urls' | 'index-urls' | 'deep' | 'wide' | 'invalid-utf8' | 'odd-sizes' | 'typed-annotations';

export interface HostileCase {
  kind: HostileKind;
  /** What the document carries, for test titles. */
  what: string;
  repo: string;
  tag: string;
  /** `<registry>/<repo>:<tag>`, ready for `/?image=`. */
  ref: string;
  digest: string;
  mediaType: string;
  /** Set when the registry refused the exact shape and a milder one was stored instead. */
  variant?: string;
}

export interface HostileRefusal {
  what: string;
  status: number | undefined;
  /** The registry's error body, shortened. */
  answer: string;
}

export interface HostileSeed {
  cases: HostileCase[];
  refused: HostileRefusal[];
}

const encoder = new TextEncoder();

const bytesOf = (...parts: (string | Uint8Array)[]): Uint8Array<ArrayBuffer> =>
  concatBytes(...parts.map((part) => (typeof part === 'string' ? encoder.encode(part) : part)));

const json = (value: unknown): Uint8Array<ArrayBuffer> => bytesOf(JSON.stringify(value));

/** The empty tar (two zero blocks), gzipped: a real, tiny layer every hostile image can share. */
const EMPTY_LAYER = new Uint8Array(gzipSync(new Uint8Array(1024), { level: 9 }));

/** An image config whose labels and extra fields are hostile too (shown on the config page). */
const hostileConfig = (diffId: string): Uint8Array<ArrayBuffer> =>
  json({
    architecture: 'amd64',
    os: 'linux',
    config: {
      Labels: {
        [HOSTILE_STRINGS.script]: HOSTILE_STRINGS.imgOnError,
        'org.opencontainers.image.url': HOSTILE_STRINGS.javascriptUrl,
        'org.opencontainers.image.documentation': HOSTILE_STRINGS.dataUrl,
      },
    },
    rootfs: { type: 'layers', diff_ids: [diffId] },
    history: [{ created_by: HOSTILE_STRINGS.script }],
    urls: [HOSTILE_STRINGS.javascriptUrl, HOSTILE_STRINGS.dataUrl],
  });

/** Pushes one repository's hostile documents; refusals are collected, not thrown. */
class HostilePusher {
  readonly cases: HostileCase[] = [];
  readonly refused: HostileRefusal[] = [];

  constructor(
    private readonly registry: string,
    private readonly registryUrl: string,
  ) {}

  /** Config and layer blobs for `repo`, and the descriptors that name them. */
  async baseImage(repo: string) {
    const layer = await pushBlob(this.registryUrl, repo, EMPTY_LAYER);
    const diffId = sha256Digest(new Uint8Array(1024));
    const config = await pushBlob(this.registryUrl, repo, hostileConfig(diffId));
    return {
      config: { mediaType: OCI_CONFIG, digest: config.digest, size: config.size },
      layer: { mediaType: OCI_LAYER_GZIP, digest: layer.digest, size: layer.size },
    };
  }

  /** Pushes `bytes` under `repo:tag`; true when stored, false (and recorded) when refused. */
  async tryPush(
    what: string,
    repo: string,
    tag: string,
    mediaType: string,
    bytes: Uint8Array<ArrayBuffer>,
    record: Omit<HostileCase, 'repo' | 'tag' | 'ref' | 'digest' | 'mediaType'>,
  ): Promise<boolean> {
    try {
      const pushed = await pushManifest(this.registryUrl, repo, tag, mediaType, bytes);
      this.cases.push({ ...record, repo, tag, ref: `${this.registry}/${repo}:${tag}`, digest: pushed.digest, mediaType });
      return true;
    } catch (error) {
      if (!(error instanceof PushError) || error.kind !== 'unexpected-status') throw error;
      this.refused.push({ what, status: error.status, answer: error.message.slice(0, 300) });
      return false;
    }
  }
}

/** `{"schemaVersion":2,…,"x-deep":[[…]]}` with the array nested `depth` deep. */
function deepManifest(base: object, depth: number): Uint8Array<ArrayBuffer> {
  const head = JSON.stringify(base).slice(0, -1);
  return bytesOf(`${head},"x-deep":${'['.repeat(depth)}${']'.repeat(depth)}}`);
}

export async function seedHostile(registry: string, registryUrl: string): Promise<HostileSeed> {
  const pusher = new HostilePusher(registry, registryUrl);

  const markupRepo = 'hostile/markup';
  const base = await pusher.baseImage(markupRepo);
  const image = (extra: object = {}) => ({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: base.config,
    layers: [base.layer],
    ...extra,
  });

  const markup = image({
    layers: [{ ...base.layer, annotations: { 'org.opencontainers.image.title': HOSTILE_STRINGS.script } }],
    annotations: {
      'org.example.script': HOSTILE_STRINGS.script,
      [HOSTILE_STRINGS.script]: 'a key that is a script',
      [HOSTILE_STRINGS.htmlKey]: HOSTILE_STRINGS.imgOnError,
      'org.example.iframe': HOSTILE_STRINGS.iframe,
      'org.opencontainers.image.url': HOSTILE_STRINGS.javascriptUrl,
      'org.opencontainers.image.source': HOSTILE_STRINGS.mixedCaseJavascript,
      'org.example.spaced': HOSTILE_STRINGS.spacedJavascript,
      'org.opencontainers.image.documentation': HOSTILE_STRINGS.dataUrl,
      'org.example.data-base64': HOSTILE_STRINGS.dataBase64,
      'org.example.vbscript': HOSTILE_STRINGS.vbscript,
      'org.example.safe': SAFE_LINK,
    },
  });
  await pusher.tryPush('script and HTML in annotation keys and values', markupRepo, 'v1', OCI_MANIFEST, json(markup), {
    kind: 'markup',
    what: 'script and HTML in annotation keys and values, javascript: and data: URLs',
  });

  // Foreign layers are the one place distribution checks `urls` (http(s) only), so this shape is
  // expected to be refused; descriptors in an index are not checked, which is where they then go.
  const foreignLayer = {
    mediaType: OCI_FOREIGN_LAYER_GZIP,
    digest: `sha256:${'f'.repeat(64)}`,
    size: 1,
    urls: [HOSTILE_STRINGS.javascriptUrl, HOSTILE_STRINGS.dataUrl],
  };
  await pusher.tryPush(
    'javascript: and data: in a foreign layer’s urls',
    markupRepo,
    'foreign',
    OCI_MANIFEST,
    json(image({ layers: [base.layer, foreignLayer] })),
    { kind: 'foreign-urls', what: 'javascript: and data: in a foreign layer’s urls' },
  );
  const markupDigest = pusher.cases.find((each) => each.kind === 'markup')?.digest;
  if (markupDigest !== undefined) {
    const index = {
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        {
          mediaType: OCI_MANIFEST,
          digest: markupDigest,
          size: json(markup).byteLength,
          urls: [HOSTILE_STRINGS.javascriptUrl, HOSTILE_STRINGS.dataUrl, HOSTILE_STRINGS.vbscript],
          platform: { os: HOSTILE_STRINGS.script, architecture: HOSTILE_STRINGS.imgOnError },
          annotations: { [HOSTILE_STRINGS.htmlKey]: HOSTILE_STRINGS.javascriptUrl },
        },
      ],
    };
    await pusher.tryPush('javascript: and data: in index descriptor urls', markupRepo, 'index', OCI_INDEX, json(index), {
      kind: 'index-urls',
      what: 'javascript:, data: and vbscript: in descriptor urls, script in the platform',
    });
  }

  // Go's encoding/json refuses nesting beyond 10,000 levels, and the manifest object is one of
  // them; if the 10,000-deep field is refused, the deepest the registry stores is used.
  const deepWhat = `an extra field nested ${DEEP_NESTING.toLocaleString('en-US')} deep`;
  const stored = await pusher.tryPush(deepWhat, markupRepo, 'deep', OCI_MANIFEST, deepManifest(image(), DEEP_NESTING), {
    kind: 'deep',
    what: deepWhat,
  });
  if (!stored) {
    const depth = DEEP_NESTING - 1;
    await pusher.tryPush(`an extra field nested ${depth} deep`, markupRepo, 'deep', OCI_MANIFEST, deepManifest(image(), depth), {
      kind: 'deep',
      what: `an extra field nested ${depth.toLocaleString('en-US')} deep (10,000 levels with the manifest itself)`,
      variant: `${depth} levels in the field`,
    });
  }

  await pusher.tryPush(
    'a 100,000-element array',
    markupRepo,
    'wide',
    OCI_MANIFEST,
    json(image({ 'x-wide': Array.from({ length: WIDE_ELEMENTS }, (_, i) => i) })),
    { kind: 'wide', what: `an extra array of ${WIDE_ELEMENTS.toLocaleString('en-US')} elements` },
  );

  // Lone continuation byte, 0xFF, an overlong "/" and a UTF-16 surrogate encoded in UTF-8.
  const invalid = new Uint8Array([0x80, 0xff, 0xc0, 0xaf, 0xed, 0xa0, 0x80]);
  const head = JSON.stringify(image()).slice(0, -1);
  const utf8 = bytesOf(head, ',"annotations":{"org.example.bytes":"before ', invalid, ' after","key ', invalid, '":"x"}}');
  await pusher.tryPush('invalid UTF-8 in annotation keys and values', markupRepo, 'utf8', OCI_MANIFEST, utf8, {
    kind: 'invalid-utf8',
    what: 'invalid UTF-8 bytes in annotation keys and values',
  });

  // Sizes a renderer could trip on: negative, and beyond JavaScript's exact integers (2^53 + 1).
  await pusher.tryPush(
    'negative and 2^53 + 1 descriptor sizes',
    markupRepo,
    'sizes',
    OCI_MANIFEST,
    bytesOf(
      JSON.stringify(
        image({
          layers: [
            { ...base.layer, size: -1 },
            { ...base.layer, size: 0 },
          ],
        }),
      ).replace('"size":0', '"size":9007199254740993'),
    ),
    { kind: 'odd-sizes', what: 'layer sizes of -1 and 2^53 + 1' },
  );

  // Annotation values must be strings for Go's map[string]string; recorded as a refusal if so.
  await pusher.tryPush(
    'non-string annotation values',
    markupRepo,
    'typed',
    OCI_MANIFEST,
    json(image({ annotations: { 'org.example.object': { toString: HOSTILE_STRINGS.script } } })),
    { kind: 'typed-annotations', what: 'an annotation value that is an object, not a string' },
  );

  return { cases: pusher.cases, refused: pusher.refused };
}
