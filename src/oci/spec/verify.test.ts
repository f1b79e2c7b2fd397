import { describe, expect, it } from 'vitest';
import { OCI_INDEX, OCI_MANIFEST } from './media-types';
import { verifyBytes } from './verify';
import { sha256Digest, sha512Digest } from '../../test-support/digest';

const bytes = new TextEncoder().encode(`{"schemaVersion":2,"mediaType":"${OCI_MANIFEST}"}`);
const sha256 = sha256Digest(bytes);
const sha512 = sha512Digest(bytes);
const other = `sha256:${'0'.repeat(64)}`;

describe('verifyBytes', () => {
  it('accepts bytes that hash to the digest in the link', async () => {
    const v = await verifyBytes({ bytes, expect: { digest: sha256, digestSource: 'url', size: bytes.length }, compareContentType: false });
    expect(v).toMatchObject({ digest: 'match', size: 'match', trusted: true, computed: sha256, expectedSource: 'url' });
  });

  it('flags a digest mismatch and keeps both values', async () => {
    const v = await verifyBytes({ bytes, expect: { digest: other, digestSource: 'url' }, compareContentType: false });
    expect(v.digest).toBe('mismatch');
    expect(v.trusted).toBe(false);
    expect(v.expected).toBe(other);
    expect(v.computed).toBe(sha256);
  });

  it('verifies sha512 digests in their own algorithm and still reports the sha256 identity', async () => {
    const v = await verifyBytes({ bytes, expect: { digest: sha512, digestSource: 'url' }, compareContentType: false });
    expect(v.digest).toBe('match');
    expect(v.computedForExpected).toBe(sha512);
    expect(v.computed).toBe(sha256);
  });

  it('flags a size that disagrees with the descriptor', async () => {
    const v = await verifyBytes({ bytes, expect: { digest: sha256, size: bytes.length + 1 }, compareContentType: false });
    expect(v.size).toBe('mismatch');
    expect(v.trusted).toBe(false);
    expect(v.notes.join(' ')).toContain(`${bytes.length + 1} bytes`);
  });

  it('flags a Content-Type that disagrees with the document mediaType (CVE-2021-41190)', async () => {
    const v = await verifyBytes({
      bytes,
      expect: { digest: sha256 },
      contentType: OCI_INDEX,
      declaredMediaType: OCI_MANIFEST,
      compareContentType: true,
    });
    expect(v.mediaType).toBe('mismatch');
    expect(v.trusted).toBe(false);
  });

  it('ignores media type parameters and case when comparing', async () => {
    const v = await verifyBytes({
      bytes,
      expect: { digest: sha256 },
      contentType: `${OCI_MANIFEST.toUpperCase()}; charset=utf-8`,
      declaredMediaType: OCI_MANIFEST,
      compareContentType: true,
    });
    expect(v.mediaType).toBe('match');
  });

  it('flags a parent descriptor whose media type differs from what the document declares', async () => {
    const v = await verifyBytes({
      bytes,
      expect: { digest: sha256, mediaType: OCI_INDEX },
      contentType: OCI_MANIFEST,
      declaredMediaType: OCI_MANIFEST,
      compareContentType: true,
    });
    expect(v.mediaType).toBe('mismatch');
  });

  it('flags a lying Docker-Content-Digest even when the link digest matches', async () => {
    const v = await verifyBytes({ bytes, expect: { digest: sha256, digestSource: 'url' }, headerDigest: other, compareContentType: false });
    expect(v.digest).toBe('match');
    expect(v.header).toBe('mismatch');
    expect(v.trusted).toBe(false);
  });

  it('says so when there is nothing to compare with', async () => {
    const v = await verifyBytes({ bytes, expect: {}, compareContentType: false });
    expect(v.digest).toBe('unchecked');
    expect(v.trusted).toBe(true);
    expect(v.notes[0]).toMatch(/No digest to compare with/);
  });

  it('does not claim to verify an algorithm it cannot compute', async () => {
    const v = await verifyBytes({ bytes, expect: { digest: `blake3:${'a'.repeat(64)}` }, compareContentType: false });
    expect(v.digest).toBe('unchecked');
    expect(v.notes[0]).toMatch(/only sha256 and sha512/);
  });
});
