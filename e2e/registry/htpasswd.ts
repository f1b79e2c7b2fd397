/**
 * One htpasswd line for the distribution registry's `auth: htpasswd`, which accepts bcrypt only.
 *
 * No bcrypt package is installed and `htpasswd` (apache2-utils) is not either, so the hash comes
 * from the system's crypt(3) through perl, which every Debian has (perl-base is Essential):
 * glibc's libcrypt (libxcrypt) implements `$2b$`. The salt is 22 characters of bcrypt's base64
 * alphabet, the last one '.' so its unused low bits are zero as bcrypt wants.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function htpasswdLine(user: string, password: string): string {
  const salt = [...randomBytes(21)].map((byte) => BCRYPT_ALPHABET[byte % 64]).join('') + '.';
  // Cost 5 keeps registry logins fast; this protects nothing but a throwaway test registry.
  const hash = execFileSync('perl', ['-e', 'print crypt($ARGV[0], $ARGV[1])', password, `$2b$05$${salt}`], {
    encoding: 'utf8',
  });
  if (!hash.startsWith('$2b$05$') || hash.length !== 60) {
    throw new Error(`crypt(3) did not produce a bcrypt hash (got "${hash.slice(0, 7)}…"): libxcrypt without bcrypt?`);
  }
  return `${user}:${hash}\n`;
}
