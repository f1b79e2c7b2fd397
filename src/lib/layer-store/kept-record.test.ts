import { describe, expect, it } from 'vitest';
import type { TarEntry } from '../../oci/layer/tar-entry';
import { decodeKeptLayer, encodeKeptLayer, KEPT_SCHEMA, KeptRecordError, type KeptLayer, type KeptProof } from './kept-record';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

function proof(entryCount: number, digest = DIGEST, ok = true): KeptProof {
  return {
    compression: 'gzip',
    compressedBytes: 1234,
    decompressedBytes: 10240,
    entryCount,
    digest: { expected: digest, computed: ok ? digest : `sha256:${'cd'.repeat(32)}`, ok },
    diffId: { computed: `sha256:${'ef'.repeat(32)}` },
    endMarker: true,
  };
}

const entries: TarEntry[] = [
  { path: 'etc', type: 'directory', mode: 0o755, uid: 0, gid: 0, uname: 'root', gname: 'root', size: 0, mtime: 1.5, dataOffset: 512 },
  {
    path: 'etc/hello',
    type: 'file',
    mode: 0o644,
    uid: 1000,
    gid: 1000,
    uname: '',
    gname: '',
    size: 6,
    mtime: 1_700_000_000,
    dataOffset: 1536,
    contentDigest: `sha256:${'12'.repeat(32)}`,
  },
  {
    path: 'etc/link',
    type: 'symlink',
    mode: 0o777,
    uid: 0,
    gid: 0,
    uname: 'root',
    gname: 'root',
    size: 0,
    mtime: 0,
    dataOffset: 2560,
    linkTarget: 'hello',
  },
  {
    path: 'etc/.wh.gone',
    type: 'file',
    mode: 0,
    uid: 0,
    gid: 0,
    uname: '',
    gname: '',
    size: 0,
    mtime: 0,
    dataOffset: 3072,
    whiteout: { kind: 'file', target: 'etc/gone' },
  },
];

function layer(overrides: Partial<KeptLayer> = {}): KeptLayer {
  return {
    digest: DIGEST,
    verifiedAt: Date.UTC(2026, 11, 2, 12),
    proof: proof(entries.length),
    entries,
    checkpoints: [
      { kind: 'block', bit: 8_001, out: 4 << 20, window: new Uint8Array(32768).fill(7) },
      { kind: 'member', bit: 16_000, out: 8 << 20, window: new Uint8Array(0) },
    ],
    ...overrides,
  };
}

describe('a kept layer record', () => {
  it('gives back exactly the entries, proof, date and checkpoints it was made of', async () => {
    const original = layer();
    const record = await encodeKeptLayer(original);
    expect(record.schema).toBe(KEPT_SCHEMA);
    const back = await decodeKeptLayer(structuredClone(record), DIGEST);
    expect(back).toEqual(original);
  });

  it('refuses to keep a pass whose digest did not match', async () => {
    await expect(encodeKeptLayer(layer({ proof: proof(entries.length, DIGEST, false) }))).rejects.toBeInstanceOf(KeptRecordError);
  });

  it('is never used for another digest', async () => {
    const record = await encodeKeptLayer(layer());
    await expect(decodeKeptLayer(record, `sha256:${'99'.repeat(32)}`)).rejects.toThrow('another layer');
  });

  it('is discarded when a byte of it changed, in the index or in a window', async () => {
    const record = await encodeKeptLayer(layer());
    const payload = new Uint8Array(record.payload.slice(0));
    payload[payload.length - 3] = payload[payload.length - 3]! ^ 1;
    await expect(decodeKeptLayer({ ...record, payload: payload.buffer }, DIGEST)).rejects.toThrow('damaged');
    const windows = new Uint8Array(record.windows.slice(0));
    windows[100] = windows[100]! ^ 1;
    await expect(decodeKeptLayer({ ...record, windows: windows.buffer }, DIGEST)).rejects.toThrow('damaged');
    await expect(decodeKeptLayer({ ...record, verifiedAt: record.verifiedAt + 1 }, DIGEST)).rejects.toThrow('damaged');
  });

  it('is discarded when written by another schema or not a record at all', async () => {
    const record = await encodeKeptLayer(layer());
    await expect(decodeKeptLayer({ ...record, schema: KEPT_SCHEMA + 1 }, DIGEST)).rejects.toThrow(`schema ${KEPT_SCHEMA + 1}`);
    await expect(decodeKeptLayer('junk', DIGEST)).rejects.toThrow('expected form');
    await expect(decodeKeptLayer({ ...record, payload: 'x' }, DIGEST)).rejects.toThrow('expected form');
  });
});
