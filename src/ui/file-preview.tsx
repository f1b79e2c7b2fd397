/**
 * A file's bytes, shown for what they are: UTF-8 text with line numbers, an image (PNG, JPEG,
 * GIF, WebP — never SVG, which can carry script), or a hex dump. Previews are capped; the cap
 * is said, and the whole file is one click away.
 */
import { useEffect, useMemo, useState } from 'react';
import { contentKind, hexLines, imageType } from '../oci/display/file-content';
import { exactBytes } from './format';
import { VirtualRows } from './virtual-rows';
import { saveFile } from './save-file';

const ROW = 20;

function TextPreview({ bytes }: { bytes: Uint8Array }) {
  const lines = useMemo(() => new TextDecoder().decode(bytes).split('\n'), [bytes]);
  const width = String(lines.length).length;
  return (
    <VirtualRows
      count={lines.length}
      rowHeight={ROW}
      className="file-text"
      testId="file-text"
      renderRow={(i) => (
        <code className="text-line">
          <span className="ln" style={{ width: `${width + 1}ch` }} aria-hidden="true">
            {i + 1}
          </span>
          {lines[i]}
        </code>
      )}
    />
  );
}

function HexPreview({ bytes }: { bytes: Uint8Array }) {
  const count = Math.ceil(bytes.length / 16);
  return (
    <VirtualRows
      count={count}
      rowHeight={ROW}
      className="file-hex"
      testId="file-hex"
      renderRow={(i) => {
        const line = hexLines(bytes, i, 1)[0]!;
        return (
          <code className="hex-line">
            <span className="hex-offset">{line.offset}</span>
            <span className="hex-bytes">{line.hex.padEnd(49)}</span>
            <span className="hex-ascii">{line.ascii}</span>
          </code>
        );
      }}
    />
  );
}

function ImagePreview({ bytes, type, name }: { bytes: Uint8Array; type: string; name: string }) {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    const objectUrl = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [bytes, type]);
  return url ? <img className="file-image" src={url} alt={`Preview of ${name}`} data-testid="file-image" /> : null;
}

export function DownloadButton({ bytes, name }: { bytes: Uint8Array; name: string }) {
  const download = () => saveFile(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }), name);
  return (
    <button type="button" onClick={download}>
      Download
    </button>
  );
}

export function FilePreview({ bytes, size, name, truncated }: { bytes: Uint8Array; size: number; name: string; truncated: boolean }) {
  const [mode, setMode] = useState<'auto' | 'hex'>('auto');
  const kind = contentKind(bytes);
  const image = imageType(bytes);
  return (
    <section className="file-preview" data-testid="file-preview" data-kind={kind}>
      <div className="preview-bar">
        {truncated && (
          <span className="muted" data-testid="preview-truncated">
            Showing the first {exactBytes(bytes.length)} of {exactBytes(size)}.
          </span>
        )}
        {kind !== 'binary' && (
          <button type="button" onClick={() => setMode(mode === 'hex' ? 'auto' : 'hex')}>
            {mode === 'hex' ? (kind === 'image' ? 'Show image' : 'Show text') : 'Show hex'}
          </button>
        )}
      </div>
      {mode === 'hex' || kind === 'binary' || (kind === 'image' && truncated) ? (
        <HexPreview bytes={bytes} />
      ) : kind === 'image' && image ? (
        <ImagePreview bytes={bytes} type={image} name={name} />
      ) : (
        <TextPreview bytes={bytes} />
      )}
    </section>
  );
}
