/**
 * `/?compare=REF_A&with=REF_B`: the comparison view's deep link. Optional parts narrow it the
 * way a person did on the page, so a shared link lands on the same view: `platform=` the
 * platform of two indexes to compare, `fs=1` the filesystem diff started, `dir=` the directory
 * the file list is narrowed to.
 */
import { type ImageReference, formatReference } from '../../oci/spec/reference';

export interface CompareLinkOptions {
  platform?: string;
  filesystem?: boolean;
  dir?: string;
}

/** Keeps `/`, `:` and `@` readable in query values, as the other view URLs do. */
function encodeValue(value: string): string {
  return encodeURIComponent(value).replace(/%2F/g, '/').replace(/%3A/g, ':').replace(/%40/g, '@');
}

export function compareUrl(a: ImageReference | string, b: ImageReference | string, options: CompareLinkOptions = {}): string {
  const params: [string, string | undefined][] = [
    ['compare', typeof a === 'string' ? a : formatReference(a)],
    ['with', typeof b === 'string' ? b : formatReference(b)],
    ['platform', options.platform],
    ['fs', options.filesystem ? '1' : undefined],
    ['dir', options.dir && options.dir !== '.' ? options.dir : undefined],
  ];
  return `/?${params
    .filter((p): p is [string, string] => p[1] !== undefined && p[1] !== '')
    .map(([k, v]) => `${k}=${encodeValue(v)}`)
    .join('&')}`;
}
