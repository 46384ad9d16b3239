// Batch driver for the interop oracle (see oracle.mjs): loads wasm-tools once
// and runs many commands, which saves Node's start-up per command.
//
//   NODE_PATH=BUILD/oracle/node_modules node oracle_batch.mjs < COMMANDS
//
// Each input line is tab-separated: ID, COMMAND, ARGS... with COMMAND one of
//   embed WIT WORLD OUT.wasm     embed WORLD's type in a dummy core module
//   new CORE.wasm OUT.wasm       `component new` (validates)
//   wit COMPONENT.wasm OUT.wit   `component wit`, written to OUT.wit
//   types COMPONENT.wasm OUT     the TypeScript declarations jco's transpile
//                                writes for the component (every .d.ts file,
//                                sorted by name, concatenated)
// Each line is answered on stdout with `ID ok` or `ID error MESSAGE`.
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';

const modules = process.env.NODE_PATH || 'node_modules';
const transpile = resolve(modules, '@bytecodealliance/jco-transpile');
const nestedShim = resolve(transpile, 'node_modules/@bytecodealliance/preview2-shim');
const shimRoot = existsSync(nestedShim) ? nestedShim : resolve(modules, '@bytecodealliance/preview2-shim');
const importFile = (path) => import(pathToFileURL(path).href);

const fs = await importFile(resolve(shimRoot, 'dist/nodejs/filesystem.js'));
fs._setPreopens({ '/': '/' });
const wt = await importFile(resolve(transpile, 'dist/wasm-tools.js'));
const tr = await importFile(resolve(transpile, 'dist/transpile.js'));

async function run(cmd, a) {
  switch (cmd) {
    case 'embed':
      writeFileSync(a[2], await wt.componentEmbed({
        witPath: realpathSync(resolve(a[0])), world: a[1], dummy: true }));
      break;
    case 'new':
      writeFileSync(a[1], await wt.componentNew(readFileSync(a[0]), []));
      break;
    case 'wit':
      writeFileSync(a[1], await wt.componentWit(readFileSync(a[0])));
      break;
    case 'types': {
      const out = await tr.transpileBytes(readFileSync(a[0]), { name: 'component' });
      const files = out.files || out;
      let text = '';
      for (const [name, bytes] of Object.entries(files).sort()) {
        if (name.endsWith('.d.ts')) text += `=== ${name}\n${Buffer.from(bytes).toString()}`;
      }
      writeFileSync(a[1], text);
      break;
    }
    default:
      throw new Error(`unknown command ${cmd}`);
  }
}

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const [id, cmd, ...args] = line.split('\t');
  try {
    await run(cmd, args);
    console.log(`${id} ok`);
  } catch (e) {
    const msg = String(e && e.message ? e.message : e).replace(/\s+/g, ' ');
    console.log(`${id} error ${msg}`);
  }
}
