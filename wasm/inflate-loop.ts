/**
 * AssemblyScript source of the inflater's hot loop (src/oci/layer/inflate.ts): literals and
 * matches of one deflate block, over buffers and tables the JavaScript side placed in this
 * module's memory. Everything rare — block headers, table building, stored blocks, checkpoints —
 * stays in JavaScript; this is the part that runs once per symbol.
 *
 * Why WebAssembly: the same loop in JavaScript ran at ~0.4× zlib in V8 (bench/inflate-bench.ts),
 * which would have made a layer pass with checkpoints ~1.4× slower than the browser's own
 * DecompressionStream. Here a 64-bit bit buffer is refilled once per symbol with one unaligned
 * load (enough for a length, a distance and their extra bits: 48 bits at most), and matches are
 * copied eight bytes at a time.
 *
 * Built by scripts/build-wasm.ts into src/oci/layer/inflate-loop.wasm.ts; a unit test checks
 * that file is what this source compiles to.
 *
 * Table entries are laid out as huffman.ts documents: bits 0–3 code bits, 4–7 extra bits,
 * 8–11 kind, 16–31 value.
 */

const KIND_MASK: u32 = 0xf00;
const LITERAL_KIND: u32 = 0x000;
const LENGTH_KIND: u32 = 0x100;
const END_KIND: u32 = 0x200;
const LINK_KIND: u32 = 0x300;

const BLOCK_END: i32 = 0;
const OUTPUT_FULL: i32 = 1;
const INPUT_LOW: i32 = 2;
const BAD_LITLEN: i32 = 3;
const BAD_DISTANCE: i32 = 4;
const TOO_FAR: i32 = 5;

/** Where the loop stopped: the next input byte, the next output byte, and the bits left over (< 8). */
export let stoppedAt: i32 = 0;
export let outputAt: i32 = 0;
export let bitsLeft: u32 = 0;
export let bitCountLeft: i32 = 0;

// @ts-ignore: decorator
@inline
function lookup(table: i32, mask: u32, bitBuf: u64): u32 {
  return load<u32>(table + (<i32>(<u32>bitBuf & mask) << 2));
}

/**
 * Decodes symbols while input remains before `inLimit` and output room before `outLimit`.
 * `outStart` is the first byte of history: a distance reaching before it is an error.
 * Returns why it stopped (the constants above, mirrored in inflate.ts).
 */
export function decode(
  pos: i32,
  inLimit: i32,
  op: i32,
  outLimit: i32,
  outStart: i32,
  bits: u32,
  count: i32,
  litlen: i32,
  litlenMask: u32,
  dist: i32,
  distMask: u32,
): i32 {
  let bitBuf: u64 = <u64>bits;
  let bitCount: u64 = <u64>count;
  let status = INPUT_LOW;
  while (pos < inLimit) {
    if (op >= outLimit) {
      status = OUTPUT_FULL;
      break;
    }
    // Branch-free refill to 56–63 bits; the bits above bitCount already hold the next bytes.
    bitBuf |= load<u64>(pos) << bitCount;
    pos += <i32>((63 - bitCount) >> 3);
    bitCount |= 56;

    let e = lookup(litlen, litlenMask, bitBuf);
    if ((e & KIND_MASK) == LINK_KIND) {
      const root = <u64>(e & 0xf);
      bitBuf >>= root;
      bitCount -= root;
      e = load<u32>(litlen + ((<i32>(e >>> 16) + <i32>(<u32>bitBuf & ((1 << ((e >>> 4) & 0xf)) - 1))) << 2));
    }
    const codeBits = <u64>(e & 0xf);
    bitBuf >>= codeBits;
    bitCount -= codeBits;
    const kind = e & KIND_MASK;
    if (kind == LITERAL_KIND) {
      store<u8>(op, <u8>(e >>> 16));
      op++;
      continue;
    }
    if (kind != LENGTH_KIND) {
      status = kind == END_KIND ? BLOCK_END : BAD_LITLEN;
      break;
    }
    const lengthExtra = (e >>> 4) & 0xf;
    const length = <i32>((e >>> 16) + (<u32>bitBuf & ((1 << lengthExtra) - 1)));
    bitBuf >>= <u64>lengthExtra;
    bitCount -= <u64>lengthExtra;

    let d = lookup(dist, distMask, bitBuf);
    if ((d & KIND_MASK) == LINK_KIND) {
      const root = <u64>(d & 0xf);
      bitBuf >>= root;
      bitCount -= root;
      d = load<u32>(dist + ((<i32>(d >>> 16) + <i32>(<u32>bitBuf & ((1 << ((d >>> 4) & 0xf)) - 1))) << 2));
    }
    if ((d & KIND_MASK) != LENGTH_KIND) {
      status = BAD_DISTANCE;
      break;
    }
    const distBits = <u64>(d & 0xf);
    bitBuf >>= distBits;
    bitCount -= distBits;
    const distExtra = (d >>> 4) & 0xf;
    const distance = <i32>((d >>> 16) + (<u32>bitBuf & ((1 << distExtra) - 1)));
    bitBuf >>= <u64>distExtra;
    bitCount -= <u64>distExtra;

    let from = op - distance;
    if (from < outStart) {
      status = TOO_FAR;
      break;
    }
    const stop = op + length;
    if (distance >= 8) {
      // Each 8-byte read lies wholly before the write it feeds, overlap or not; the last write
      // may run up to 7 bytes past the match, into room the caller leaves.
      do {
        store<u64>(op, load<u64>(from));
        op += 8;
        from += 8;
      } while (op < stop);
    } else if (distance == 1) {
      memory.fill(op, load<u8>(from), length);
    } else {
      do {
        store<u8>(op, load<u8>(from));
        op++;
        from++;
      } while (op < stop);
    }
    op = stop;
  }
  // Whole bytes still in the bit buffer go back to the input.
  stoppedAt = pos - <i32>(bitCount >> 3);
  bitCountLeft = <i32>(bitCount & 7);
  bitsLeft = <u32>bitBuf & ((1 << <u32>bitCountLeft) - 1);
  outputAt = op;
  return status;
}
