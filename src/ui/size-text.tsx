/** A byte count, human-sized, exact on hover. */
import { exactBytes, formatBytes } from './format';

export function SizeText({ bytes }: { bytes: number }) {
  return <span title={exactBytes(bytes)}>{formatBytes(bytes)}</span>;
}
