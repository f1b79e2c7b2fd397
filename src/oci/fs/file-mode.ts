import type { TarEntryType } from '../layer/tar-entry';
/**
 * File modes the way `ls -l` prints them, from a tar entry's type and permission bits
 * (POSIX ustar mode field; setuid/setgid/sticky shown as s/S and t/T).
 */

const typeChar: Record<TarEntryType, string> = {
  file: '-',
  directory: 'd',
  symlink: 'l',
  hardlink: '-',
  'char-device': 'c',
  'block-device': 'b',
  fifo: 'p',
  other: '?',
};

function triplet(bits: number, special: boolean, specialChar: string): string {
  const r = bits & 4 ? 'r' : '-';
  const w = bits & 2 ? 'w' : '-';
  const x = bits & 1;
  const last = special ? (x ? specialChar : specialChar.toUpperCase()) : x ? 'x' : '-';
  return r + w + last;
}

/** `-rwxr-xr-x`, the way `ls -l` and `tar -tv` print a type and mode. */
export function modeString(type: TarEntryType, mode: number): string {
  return (
    typeChar[type] +
    triplet((mode >> 6) & 7, (mode & 0o4000) !== 0, 's') +
    triplet((mode >> 3) & 7, (mode & 0o2000) !== 0, 's') +
    triplet(mode & 7, (mode & 0o1000) !== 0, 't')
  );
}
