/**
 * Reads a response body into memory only while it stays under a byte limit.
 *
 * The proxy buffers exactly two kinds of body — token endpoint answers and manifests — and both
 * come from servers the user picked, so the count is kept as chunks arrive: a missing or lying
 * `Content-Length` cannot make the proxy hold more than `limit` bytes.
 */

/** The body's bytes, or undefined (after cancelling the rest) when it exceeds `limit`. */
export async function readCapped(response: Response, limit: number): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) {
    await response.body?.cancel();
    return undefined;
  }
  if (response.body === null) return new Uint8Array(0);

  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
