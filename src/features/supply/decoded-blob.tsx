/**
 * A verified blob shown by what it is: the media type and then the bytes decide the view
 * (blob-view.ts), so a CycloneDX document reads as a package table and a chart as its files,
 * never as a broken tar. The raw bytes are always one tab away; a decoder that finds the
 * content malformed says so and the raw view still shows everything.
 */
import { useMemo, useState } from 'react';
import { decodeJson } from '../../oci/supply/base64';
import { type BlobView, jsonView, sniffedView } from '../../oci/supply/blob-view';
import { readCycloneDx } from '../../oci/supply/cyclonedx';
import { sniffContent } from '../../oci/supply/sniff';
import { readSpdx } from '../../oci/supply/spdx';
import { createRegistryLinker } from '../../lib/json-links';
import { JsonView } from '../../ui/json-view';
import { ArchiveView } from './chart-archive-view';
import type { DecodeContext } from './decode-context';
import { DsseView } from './dsse-view';
import { HelmChartView } from './helm-view';
import { CoseView, JwsView } from './notation-view';
import { ProblemNotes } from './problem-notes';
import { SbomView } from './sbom-view';
import { SimpleSigningView } from './simple-signing-view';
import { StatementView } from './statement-view';
import { TextView } from './text-view';
import { YamlView } from './yaml-view';
import './supply.css';

const DECODED_NAMES: Partial<Record<BlobView, string>> = {
  dsse: 'DSSE envelope',
  statement: 'in-toto statement',
  spdx: 'SPDX SBOM',
  cyclonedx: 'CycloneDX SBOM',
  'simple-signing': 'cosign signature',
  jws: 'Notation signature',
  cose: 'Notation signature',
  'helm-config': 'Helm chart',
  archive: 'archive',
  yaml: 'YAML',
};

interface Decoded {
  view: BlobView;
  json?: unknown;
  text?: string;
  problem?: string;
  label?: string;
}

function decode(bytes: Uint8Array, mediaType: string | undefined): Decoded {
  const sniffed = sniffContent(bytes.subarray(0, 4096), bytes.length <= 4096);
  const first = sniffedView(sniffed, mediaType);
  if (first !== 'parse-json') {
    const text = first === 'yaml' || first === 'text' ? new TextDecoder('utf-8', { fatal: false }).decode(bytes) : undefined;
    return { view: first, text, label: sniffed.label };
  }
  const parsed = decodeJson(bytes, 'The blob');
  if (!parsed.ok) return { view: 'text', text: parsed.text ?? '', problem: parsed.problem };
  return { view: jsonView(parsed.json, mediaType), json: parsed.json, text: parsed.text };
}

function Decoded({ decoded, bytes, context }: { decoded: Decoded; bytes: Uint8Array; context: DecodeContext }) {
  const linker = useMemo(() => createRegistryLinker(context.repo), [context.repo]);
  const sbom = useMemo(
    () => (decoded.view === 'spdx' ? readSpdx(decoded.json) : decoded.view === 'cyclonedx' ? readCycloneDx(decoded.json) : undefined),
    [decoded],
  );
  switch (decoded.view) {
    case 'dsse':
      return <DsseView json={decoded.json} context={context} />;
    case 'statement':
      return <StatementView json={decoded.json} context={context} />;
    case 'spdx':
    case 'cyclonedx':
      return <SbomView sbom={sbom!} />;
    case 'simple-signing':
      return <SimpleSigningView json={decoded.json} bytes={bytes} context={context} />;
    case 'jws':
      return <JwsView json={decoded.json} context={context} />;
    case 'cose':
      return <CoseView bytes={bytes} context={context} />;
    case 'helm-config':
      return <HelmChartView json={decoded.json} />;
    case 'archive':
      return <ArchiveView bytes={bytes} context={context} />;
    case 'json':
      return <JsonView text={decoded.text ?? ''} linker={linker} />;
    case 'yaml':
      return <YamlView text={decoded.text ?? ''} id={context.digest} />;
    case 'text':
      return <TextView text={decoded.text ?? ''} />;
    case 'empty':
      return <p className="muted">The blob is empty.</p>;
    case 'binary':
      return (
        <p data-testid="binary-content">
          Binary content{decoded.label ? ` (${decoded.label})` : ''}, {bytes.length.toLocaleString('en-US')} bytes: not shown as text.
        </p>
      );
  }
}

/** Hex of the first bytes and the UTF-8 text of the rest: the raw view never interprets. */
function RawBytes({ bytes }: { bytes: Uint8Array }) {
  const text = useMemo(() => new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 4 * 1024 * 1024)), [bytes]);
  return <TextView text={text} testId="raw-bytes" />;
}

export function DecodedBlob({ bytes, context }: { bytes: Uint8Array; context: DecodeContext }) {
  const decoded = useMemo(() => decode(bytes, context.mediaType), [bytes, context.mediaType]);
  const name = DECODED_NAMES[decoded.view];
  const [tab, setTab] = useState<'decoded' | 'raw'>('decoded');
  return (
    <section className="decoded-blob" data-testid="decoded-blob" data-view={decoded.view}>
      <div className="decoded-tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'decoded'} onClick={() => setTab('decoded')}>
          {name ? `Decoded: ${name}` : 'Content'}
        </button>
        <button type="button" role="tab" aria-selected={tab === 'raw'} onClick={() => setTab('raw')} data-testid="raw-tab">
          Raw bytes
        </button>
      </div>
      {decoded.problem && <ProblemNotes problems={[decoded.problem]} testId="decode-problem" />}
      {tab === 'raw' ? <RawBytes bytes={bytes} /> : <Decoded decoded={decoded} bytes={bytes} context={context} />}
    </section>
  );
}
