/**
 * The form a verified layer index takes in the browser's storage, and the checks it must pass to
 * be used again. A record holds what a full pass proved (its 'done' event: digest and diff_id
 * computed, sizes, compression), the file index (every entry, its data offset and content
 * digest) and the checkpoints with their 32 KiB windows, so a later visit lists the layer and
 * opens its files without reading it again.
 *
 * Packed for speed, not for people: IndexedDB clones an object graph field by field, and 100,000
 * entry objects took far longer to store and load than one buffer of JSON rows, so entries
 * travel as rows of values in `ENTRY_FIELDS` order inside one UTF-8 buffer, windows in another.
 *
 * What makes a record usable (`decodeKeptLayer`), anything else is discarded and rebuilt:
 * - `schema` is this code's KEPT_SCHEMA (an older layout is not guessed at);
 * - it is the record of the digest asked for, and its proof says that digest was computed and
 *   matched: only a verified full pass is ever encoded (`encodeKeptLayer` refuses others);
 * - `integrity`, the SHA-256 of everything else, still matches (storage can be damaged, or
 *   edited by anyone with devtools), and the contents parse into the shapes expected.
 */
import type { StreamCheckpoint } from '../../oci/layer/checkpoints';
import type { LayerScanEvent } from '../../oci/layer/events';
import type { TarEntry } from '../../oci/layer/tar-entry';
import { digestBytes } from '../../oci/spec/digest';

/** Bumped whenever the packed layout changes; records of another schema are discarded. */
export const KEPT_SCHEMA = 1;

/** What a full pass proved, as its 'done' event said, minus what is not kept (the blob itself). */
export type KeptProof = Omit<Extract<LayerScanEvent, { type: 'done' }>, 'type' | 'kept' | 'checkpoints'>;

/** A verified layer index, ready to use. */
export interface KeptLayer {
  digest: string;
  /** When the full pass that verified it ended (ms since the epoch). */
  verifiedAt: number;
  proof: KeptProof;
  entries: TarEntry[];
  checkpoints: StreamCheckpoint[];
}

/** The stored form: one object per layer digest. */
export interface KeptLayerRecord {
  schema: number;
  digest: string;
  verifiedAt: number;
  /** UTF-8 JSON of `PackedPayload`. */
  payload: ArrayBuffer;
  /** Every checkpoint's window, back to back in checkpoint order. */
  windows: ArrayBuffer;
  /** Hex SHA-256 over schema, digest, verifiedAt, payload and windows. */
  integrity: string;
}

/** The order entry fields are packed in; a new field goes at the end with a schema bump. */
const ENTRY_FIELDS = [
  'path',
  'type',
  'mode',
  'uid',
  'gid',
  'uname',
  'gname',
  'size',
  'mtime',
  'dataOffset',
  'linkTarget',
  'devMajor',
  'devMinor',
  'whiteout',
  'sparse',
  'contentDigest',
] as const satisfies readonly (keyof TarEntry)[];

const ENTRY_TYPES = new Set(['file', 'directory', 'symlink', 'hardlink', 'char-device', 'block-device', 'fifo', 'other']);
const CHECKPOINT_KINDS = new Set(['member', 'block', 'frame']);

interface PackedPayload {
  proof: KeptProof;
  /** One row per entry, values in ENTRY_FIELDS order, absent ones null, trailing nulls dropped. */
  entries: unknown[][];
  /** [kind, bit, out, window length] per checkpoint. */
  checkpoints: [string, number, number, number][];
}

/** Why a stored record was not used. */
export class KeptRecordError extends Error {
  override readonly name = 'KeptRecordError';
}

/** The stored form of a verified pass; throws KeptRecordError for a pass that proved nothing. */
export async function encodeKeptLayer(layer: KeptLayer): Promise<KeptLayerRecord> {
  const { proof, digest } = layer;
  if (!proof.digest.ok || proof.digest.computed !== digest || proof.digest.expected !== digest) {
    throw new KeptRecordError('only a layer whose digest was verified is kept');
  }
  const packed: PackedPayload = {
    proof,
    entries: layer.entries.map(packEntry),
    checkpoints: layer.checkpoints.map((c) => [c.kind, c.bit, c.out, c.window.length]),
  };
  const payload = new TextEncoder().encode(JSON.stringify(packed)).buffer;
  const windows = new Uint8Array(layer.checkpoints.reduce((sum, c) => sum + c.window.length, 0));
  let at = 0;
  for (const checkpoint of layer.checkpoints) {
    windows.set(checkpoint.window, at);
    at += checkpoint.window.length;
  }
  const base = { schema: KEPT_SCHEMA, digest, verifiedAt: layer.verifiedAt, payload, windows: windows.buffer };
  return { ...base, integrity: await integrityOf(base) };
}

/** The layer a stored record holds, once every check passed; throws KeptRecordError saying which failed. */
export async function decodeKeptLayer(record: unknown, digest: string): Promise<KeptLayer> {
  if (!isRecordShape(record)) throw new KeptRecordError('the stored record is not in the expected form');
  if (record.schema !== KEPT_SCHEMA)
    throw new KeptRecordError(`the stored record has schema ${record.schema}, this version reads ${KEPT_SCHEMA}`);
  if (record.digest !== digest) throw new KeptRecordError('the stored record is of another layer');
  if ((await integrityOf(record)) !== record.integrity)
    throw new KeptRecordError('the stored record is damaged (its checksum does not match)');
  let packed: PackedPayload;
  try {
    packed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(record.payload)) as PackedPayload;
  } catch {
    throw new KeptRecordError('the stored record does not parse');
  }
  const proof = packed.proof;
  if (proof?.digest?.ok !== true || proof.digest.computed !== digest)
    throw new KeptRecordError('the stored record holds no verified proof');
  if (!Array.isArray(packed.entries) || packed.entries.length !== proof.entryCount) {
    throw new KeptRecordError('the stored record does not hold as many entries as its pass listed');
  }
  return {
    digest,
    verifiedAt: record.verifiedAt,
    proof,
    entries: packed.entries.map(unpackEntry),
    checkpoints: unpackCheckpoints(packed.checkpoints, record.windows),
  };
}

/** Bytes a record takes in storage, near enough for the storage page. */
export function recordBytes(record: KeptLayerRecord): number {
  return record.payload.byteLength + record.windows.byteLength + 200;
}

function packEntry(entry: TarEntry): unknown[] {
  const row: unknown[] = ENTRY_FIELDS.map((field) => entry[field] ?? null);
  while (row.length > 0 && row[row.length - 1] === null) row.pop();
  return row;
}

function unpackEntry(row: unknown): TarEntry {
  if (!Array.isArray(row)) throw new KeptRecordError('a stored entry is not a row');
  const entry: Record<string, unknown> = {};
  ENTRY_FIELDS.forEach((field, i) => {
    const value: unknown = row[i];
    if (value !== null && value !== undefined) entry[field] = value;
  });
  const typed = entry as unknown as TarEntry;
  const numbers = [typed.mode, typed.uid, typed.gid, typed.size, typed.mtime, typed.dataOffset];
  if (typeof typed.path !== 'string' || !ENTRY_TYPES.has(typed.type) || !numbers.every(Number.isFinite)) {
    throw new KeptRecordError('a stored entry is malformed');
  }
  return typed;
}

function unpackCheckpoints(packed: unknown, windows: ArrayBuffer): StreamCheckpoint[] {
  if (!Array.isArray(packed)) throw new KeptRecordError('the stored checkpoints are malformed');
  let at = 0;
  const checkpoints = packed.map((item: unknown): StreamCheckpoint => {
    if (!Array.isArray(item)) throw new KeptRecordError('a stored checkpoint is malformed');
    const [kind, bit, out, length] = item as unknown[];
    if (!CHECKPOINT_KINDS.has(kind as string) || ![bit, out, length].every((n) => Number.isSafeInteger(n) && (n as number) >= 0)) {
      throw new KeptRecordError('a stored checkpoint is malformed');
    }
    const window = new Uint8Array(windows, at, length as number).slice();
    at += length as number;
    return { kind: kind as StreamCheckpoint['kind'], bit: bit as number, out: out as number, window };
  });
  if (at !== windows.byteLength) throw new KeptRecordError('the stored windows do not match the checkpoints');
  return checkpoints;
}

function isRecordShape(value: unknown): value is KeptLayerRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Partial<KeptLayerRecord>;
  return (
    typeof r.schema === 'number' &&
    typeof r.digest === 'string' &&
    typeof r.verifiedAt === 'number' &&
    typeof r.integrity === 'string' &&
    r.payload instanceof ArrayBuffer &&
    r.windows instanceof ArrayBuffer
  );
}

/**
 * SHA-256 over every other field: WebCrypto's, native and fast on the MBs a big index holds, or
 * hash-wasm's where the page is not a secure context and WebCrypto is absent.
 */
async function integrityOf(record: Omit<KeptLayerRecord, 'integrity'>): Promise<string> {
  const head = new TextEncoder().encode(`${record.schema}\n${record.digest}\n${record.verifiedAt}\n${record.payload.byteLength}\n`);
  const all = new Uint8Array(head.length + record.payload.byteLength + record.windows.byteLength);
  all.set(head);
  all.set(new Uint8Array(record.payload), head.length);
  all.set(new Uint8Array(record.windows), head.length + record.payload.byteLength);
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return (await digestBytes(all)).slice('sha256:'.length);
  const digest = new Uint8Array(await subtle.digest('SHA-256', all));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
