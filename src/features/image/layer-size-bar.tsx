/**
 * A layer's weight at a glance: a bar for its compressed size against the heaviest layer, and a
 * lighter bar for its uncompressed size once a pass over the layer has measured it.
 */
import { SizeText } from '../../ui/size-text';

export function LayerSizeBar({ compressed, uncompressed, max }: { compressed: number; uncompressed?: number; max: number }) {
  const width = (bytes: number) => `${Math.max(max > 0 ? (bytes / max) * 100 : 0, 0.5)}%`;
  return (
    <div className="size-bars" aria-hidden="true">
      {uncompressed !== undefined && <div className="size-bar uncompressed" style={{ width: width(uncompressed) }} />}
      <div className="size-bar compressed" style={{ width: width(compressed) }} />
    </div>
  );
}

export function UncompressedSize({ bytes }: { bytes: number | undefined }) {
  return bytes === undefined ? <span className="muted">open to measure</span> : <SizeText bytes={bytes} />;
}
