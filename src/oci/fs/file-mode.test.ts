import { describe, expect, it } from 'vitest';
import { modeString } from './file-mode';

describe('modeString', () => {
  it.each([
    ['file', 0o644, '-rw-r--r--'],
    ['file', 0o755, '-rwxr-xr-x'],
    ['directory', 0o755, 'drwxr-xr-x'],
    ['symlink', 0o777, 'lrwxrwxrwx'],
    ['char-device', 0o666, 'crw-rw-rw-'],
    ['block-device', 0o660, 'brw-rw----'],
    ['fifo', 0o644, 'prw-r--r--'],
    ['file', 0o4755, '-rwsr-xr-x'],
    ['file', 0o4644, '-rwSr--r--'],
    ['file', 0o2755, '-rwxr-sr-x'],
    ['directory', 0o1777, 'drwxrwxrwt'],
    ['directory', 0o1776, 'drwxrwxrwT'],
    ['hardlink', 0o600, '-rw-------'],
  ] as const)('%s %o → %s', (type, mode, expected) => {
    expect(modeString(type, mode)).toBe(expected);
  });
});
