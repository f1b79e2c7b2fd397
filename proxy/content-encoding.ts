/**
 * Which precompressed variant of a static file a client gets, by its `Accept-Encoding`
 * (RFC 9110 §12.5.3). The build writes `file.br` and `file.gz` beside each compressible file
 * (scripts/precompress.ts); this module only decides between them and the file itself.
 *
 * Why not hono's `precompressed` option: it matches codings by exact string, so `br;q=1.0` is
 * not brotli and `gzip;q=0` (an explicit refusal) is not noticed, and it sends
 * `Vary: Accept-Encoding` only on compressed answers, so a shared cache that stored an identity
 * answer first would hand it to everyone without telling them a smaller one exists.
 */

/** The codings the build writes, most preferred first (brotli is ~15 % smaller than gzip on our bundle). */
export const STATIC_ENCODINGS = ['br', 'gzip'] as const;
export type StaticEncoding = (typeof STATIC_ENCODINGS)[number];

/** The file name suffix each coding's variant is written under. */
export const ENCODING_SUFFIX: Readonly<Record<StaticEncoding, string>> = { br: '.br', gzip: '.gz' };

/** `coding` → q-value, lowercased; `*` stands for every coding not named. */
function weights(header: string): Map<string, number> {
  const result = new Map<string, number>();
  for (const member of header.split(',')) {
    const [name, ...params] = member.split(';').map((part) => part.trim());
    if (!name) continue;
    let q = 1;
    for (const param of params) {
      const match = /^q\s*=\s*(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/i.exec(param);
      // A malformed weight makes the member unusable rather than silently preferred.
      q = match ? Number(match[1]) : 0;
    }
    // RFC 9110 §8.4.1.3: x-gzip is gzip.
    const coding = name.toLowerCase() === 'x-gzip' ? 'gzip' : name.toLowerCase();
    result.set(coding, Math.max(q, result.get(coding) ?? 0));
  }
  return result;
}

/**
 * The variant to send, or undefined for the file as it is. With no header at all RFC 9110 lets
 * a server pick any coding, but clients that send none (curl, scripts) usually cannot decode
 * one, so they get identity. Ties go to the order of STATIC_ENCODINGS; a client that names
 * `identity` with a higher weight than any variant gets the file as it is.
 */
export function chooseEncoding(
  acceptEncoding: string | null | undefined,
  available: readonly StaticEncoding[],
): StaticEncoding | undefined {
  if (acceptEncoding === null || acceptEncoding === undefined) return undefined;
  const accepted = weights(acceptEncoding);
  const wildcard = accepted.get('*') ?? 0;
  let best: StaticEncoding | undefined;
  let bestQ = 0;
  for (const encoding of STATIC_ENCODINGS) {
    if (!available.includes(encoding)) continue;
    const q = accepted.get(encoding) ?? wildcard;
    if (q > bestQ) {
      best = encoding;
      bestQ = q;
    }
  }
  const identity = accepted.get('identity');
  return identity !== undefined && identity > bestQ ? undefined : best;
}
