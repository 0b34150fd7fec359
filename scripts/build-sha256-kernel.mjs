// Compiles server/draws/protocol/sha256-kernel.wat into the committed sha256-kernel.wasm with wabt (a pinned
// devDependency, so the server needs no compiler at run time). `--check` compiles in memory and fails when the
// committed .wasm differs, so an edited .wat cannot ship with a stale binary (a test runs it).
//
//   node scripts/build-sha256-kernel.mjs          write the .wasm
//   node scripts/build-sha256-kernel.mjs --check  exit 1 when the .wasm is not the .wat's
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import initWabt from 'wabt';

const watPath = fileURLToPath(new URL('../server/draws/protocol/sha256-kernel.wat', import.meta.url));
const wasmPath = fileURLToPath(new URL('../server/draws/protocol/sha256-kernel.wasm', import.meta.url));

/** The kernel's bytes as compiled from the .wat (no debug names: the output depends on the code only). */
export async function compileKernel() {
  const wabt = await initWabt();
  const module = wabt.parseWat('sha256-kernel.wat', readFileSync(watPath, 'utf8'), {
    simd: true,
    bulk_memory: true,
  });
  try {
    module.validate();
    return Buffer.from(module.toBinary({ canonicalize_lebs: true, write_debug_names: false }).buffer);
  } finally {
    module.destroy();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const bytes = await compileKernel();
  if (process.argv.includes('--check')) {
    let committed;
    try {
      committed = readFileSync(wasmPath);
    } catch {
      committed = Buffer.alloc(0);
    }
    if (!committed.equals(bytes)) {
      console.error(`${wasmPath} is not compiled from the .wat: run node scripts/build-sha256-kernel.mjs`);
      process.exit(1);
    }
    console.log(`sha256-kernel.wasm matches the .wat (${bytes.length} bytes)`);
  } else {
    writeFileSync(wasmPath, bytes);
    console.log(`wrote ${wasmPath} (${bytes.length} bytes)`);
  }
}
