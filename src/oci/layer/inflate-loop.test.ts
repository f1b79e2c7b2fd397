/** The committed WebAssembly is what its AssemblyScript source compiles to (scripts/build-wasm.ts). */
import { describe, expect, it } from 'vitest';
import { WASM_MODULES, compileWasm, generatedModule } from '../../../scripts/build-wasm';
import { INFLATE_LOOP_WASM } from './inflate-loop.wasm';

describe('inflate-loop.wasm.ts', () => {
  it('holds the compiled wasm/inflate-loop.ts (run npx tsx scripts/build-wasm.ts after editing it)', async () => {
    const module = WASM_MODULES.find((m) => m.name === 'INFLATE_LOOP_WASM')!;
    const binary = await compileWasm(module);
    expect(generatedModule(module, binary)).toContain(Buffer.from(binary).toString('base64').slice(0, 120));
    expect(Buffer.from(INFLATE_LOOP_WASM, 'base64').equals(Buffer.from(binary))).toBe(true);
  }, 60_000);
});
