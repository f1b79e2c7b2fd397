/**
 * Serves the build's precompressed variants (`file.br`, `file.gz`, written by
 * scripts/precompress.ts) to clients that accept them, in front of the plain static handler.
 *
 * A file that has variants is a resource with several representations, so every answer for it
 * says `Vary: Accept-Encoding` — the identity one too, or a cache in front would keep whichever
 * came first for everyone. The variant goes out with the original's Content-Type and
 * `Content-Encoding`; a request with `Range` gets the identity file (ranges of a compressed
 * stream help nobody here), as does a client that accepts neither coding. Files without
 * variants, and anything this module cannot resolve safely, pass on to the next handler.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getMimeType } from 'hono/utils/mime';
import { createReadStream, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ENCODING_SUFFIX, STATIC_ENCODINGS, chooseEncoding, type StaticEncoding } from './content-encoding.ts';

async function fileStats(file: string): Promise<Stats | undefined> {
  try {
    const stats = await stat(file);
    return stats.isFile() ? stats : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The file under `root` a URL path names, or undefined when the path is not plainly a file name
 * (escapes that decode to separators, `..`, doubled or back slashes): those are left to the
 * static handler, which refuses them the same way.
 */
export function fileForPath(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (/(?:^|[/\\])\.{1,2}(?:$|[/\\])|[/\\]{2,}|\\|\0/.test(decoded)) return undefined;
  const relative = decoded.endsWith('/') ? `${decoded}index.html` : decoded;
  const base = path.resolve(root);
  const file = path.join(base, relative);
  return file.startsWith(base + path.sep) ? file : undefined;
}

/**
 * The answer for `file` when it has precompressed variants: the chosen variant, or undefined
 * (after marking the answer `Vary: Accept-Encoding`) when the identity file is to be sent.
 * Undefined without touching the answer when the file has no variants.
 */
export async function precompressedAnswer(c: Context, file: string): Promise<Response | undefined> {
  const variants = new Map<StaticEncoding, Stats>();
  for (const encoding of STATIC_ENCODINGS) {
    const stats = await fileStats(file + ENCODING_SUFFIX[encoding]);
    if (stats) variants.set(encoding, stats);
  }
  if (variants.size === 0) return undefined;
  const original = await fileStats(file);
  if (original === undefined) return undefined;
  c.header('Vary', 'Accept-Encoding', { append: true });
  const encoding = c.req.header('range') === undefined ? chooseEncoding(c.req.header('accept-encoding'), [...variants.keys()]) : undefined;
  if (encoding === undefined) return undefined;
  const variant = variants.get(encoding)!;
  c.header('Content-Type', getMimeType(file) ?? 'application/octet-stream');
  c.header('Content-Encoding', encoding);
  c.header('Content-Length', String(variant.size));
  c.header('Last-Modified', original.mtime.toUTCString());
  if (c.req.method === 'HEAD') return c.body(null, 200);
  const body = Readable.toWeb(createReadStream(file + ENCODING_SUFFIX[encoding])) as ReadableStream<Uint8Array>;
  return c.body(body, 200);
}

/** Middleware: GET/HEAD of a file under `root` that has variants answers with one when the client accepts it. */
export function precompressedStatic(root: string): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const file = fileForPath(root, c.req.path);
    const answer = file === undefined ? undefined : await precompressedAnswer(c, file);
    return answer ?? next();
  };
}
