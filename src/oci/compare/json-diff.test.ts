import { describe, expect, it } from 'vitest';
import { diffJsonTexts, layOutJson } from './json-diff';

describe('layOutJson', () => {
  it('lays JSON out like jq, keeping every token as written', () => {
    const text = '{"b":1,"a":[1e3,{"k":"v \\" x"}],"n":12345678901234567890,"e":{},"z":[],"2":true,"1":null}';
    expect(layOutJson(text)).toBe(
      [
        '{',
        '  "b": 1,',
        '  "a": [',
        '    1e3,',
        '    {',
        '      "k": "v \\" x"',
        '    }',
        '  ],',
        '  "n": 12345678901234567890,',
        '  "e": {},',
        '  "z": [],',
        '  "2": true,',
        '  "1": null',
        '}',
      ].join('\n'),
    );
  });

  it('makes two-, three-space and one-line layouts of one document equal', () => {
    const doc = { schemaVersion: 2, layers: [{ digest: 'sha256:aa', size: 1 }], annotations: { 'a,b': 'c:d {x}' } };
    const forms = [JSON.stringify(doc), JSON.stringify(doc, null, 2), JSON.stringify(doc, null, 3), JSON.stringify(doc, null, '\t')];
    expect(new Set(forms.map(layOutJson)).size).toBe(1);
  });

  it('gives up on what is not JSON', () => {
    expect(layOutJson('{"a":')).toBeUndefined();
    expect(layOutJson('<html>')).toBeUndefined();
  });
});

describe('diffJsonTexts', () => {
  // Seed 000: the manifest quay.io stores against the one built locally.
  const pushed = JSON.stringify(
    {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: 'sha256:f89495e3', size: 4236 },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: 'sha256:940034fa', size: 7676536 }],
      annotations: { 'org.opencontainers.image.base.name': 'registry.access.redhat.com/ubi9/ubi-micro:latest' },
    },
    null,
    3,
  );
  const local = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: 'sha256:f89495e3', size: 4236 },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: 'sha256:e54dc53d', size: 26090496 }],
    annotations: { 'org.opencontainers.image.base.name': 'registry.access.redhat.com/ubi9/ubi-micro:latest' },
  });

  it('shows the three layer lines that differ, as diff -u does after jq .', () => {
    const diff = diffJsonTexts(pushed, local, { context: 1 });
    expect(diff.laidOut).toBe(true);
    expect(diff.identical).toBe(false);
    expect(diff.hunks).toHaveLength(1);
    const lines = diff.hunks[0]!.lines.map((l) => `${l.kind === 'added' ? '+' : l.kind === 'removed' ? '-' : ' '}${l.text.trim()}`);
    expect(lines).toEqual([
      ' {',
      '-"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",',
      '-"digest": "sha256:940034fa",',
      '-"size": 7676536',
      '+"mediaType": "application/vnd.oci.image.layer.v1.tar",',
      '+"digest": "sha256:e54dc53d",',
      '+"size": 26090496',
      ' }',
    ]);
    expect([diff.added, diff.removed]).toEqual([3, 3]);
    const first = diff.hunks[0]!.lines[1]!;
    expect(first).toMatchObject({ kind: 'removed', aLine: 11 });
    expect(diff.hunks[0]!.lines[4]).toMatchObject({ kind: 'added', bLine: 11 });
  });

  it('finds documents that differ only in layout identical once laid out, and not when asked for the raw text', () => {
    expect(diffJsonTexts(local, JSON.stringify(JSON.parse(local), null, 2)).identical).toBe(true);
    const raw = diffJsonTexts(local, JSON.stringify(JSON.parse(local), null, 2), { layOut: false });
    expect(raw.identical).toBe(false);
    expect(raw.laidOut).toBe(false);
  });

  it('diffs text that is not JSON line by line as it is', () => {
    const diff = diffJsonTexts('a\nb\n', 'a\nc\n');
    expect(diff.laidOut).toBe(false);
    expect(diff.hunks[0]!.lines.map((l) => [l.kind, l.text])).toEqual([
      ['same', 'a'],
      ['removed', 'b'],
      ['added', 'c'],
    ]);
  });
});
