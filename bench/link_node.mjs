// The cross-component call benchmark on jco (issue 17, must-show 4): the
// composed component of bench/link transpiled by jco, its loops called
// from Node as link_bench calls them on witgen's runtime (best of 7 runs,
// ns per cross-component call, results checked).
//
//   node link_node.mjs TRANSPILED_DIR [--quick] [--ring]   (link.js in the folder)
// Prints `jco ROW NS` lines.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = resolve(process.argv[2]);
const scale = process.argv.includes('--quick') ? 10 : 1;
// --ring: the pair built with ring.c; the copying rows, named ring-*
const ring = process.argv.includes('--ring');
const { instantiate } = await import(pathToFileURL(resolve(dir, 'link.js')).href);
const root = await instantiate(
  (f) => readFile(resolve(dir, f)).then((b) => WebAssembly.compile(b)), {});
const loops = root.loops;

const measure = (name, args, n, want) => {
  let best = Infinity;
  for (let run = 0; run < 7; run++) {
    const t0 = process.hrtime.bigint();
    const r = loops[name](...args, n);
    const t1 = process.hrtime.bigint();
    if (want !== undefined && BigInt(r) !== BigInt(want)) {
      console.error(`link_node: ${name} returned ${r}, expected ${want}`);
      process.exit(1);
    }
    best = Math.min(best, Number(t1 - t0));
  }
  return (best / n).toFixed(1);
};

const s16 = 'a'.repeat(16), s4k = 'b'.repeat(4096);
const list = Uint32Array.from({ length: 1000 }, (_, i) => i * 7);
const n = 100000 / scale, m = 10000 / scale;
const rows = [
  ['nop', () => measure('nop', [], 2 * n)],
  ['echo-16B', () => measure('echo', [s16], n, 16 * n)],
  ['echo-4KB', () => measure('echo', [s4k], m, 4096 * m)],
  ['list-u32-1000', () => measure('echoList', [list], m, 1000 * m)],
  ['resource-method', () => measure('bump', [], n, n)],
  ['floor-echo-16B', () => measure('echoLocal', [s16], n, 16 * n)],
  ['floor-echo-4KB', () => measure('echoLocal', [s4k], m, 4096 * m)],
  ['floor-list-u32-1000', () => measure('echoListLocal', [list], m, 1000 * m)],
];
for (const [row, run] of rows) {
  if (ring && !/^(echo|list)/.test(row)) continue;
  console.log(`jco ${ring ? 'ring-' : ''}${row} ${run()}`);
}
