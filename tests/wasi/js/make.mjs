// Makes a component from JavaScript with componentize-js (from the oracle's
// node_modules): node make.mjs MODULES SOURCE.js WIT_DIR WORLD OUT.wasm.
// componentize-js reads files through a WASI sandbox: paths relative to
// the current folder.
import { writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

const [modules, src, wit, world, out] = process.argv.slice(2);
const { componentize } = await import(
  pathToFileURL(`${modules}/@bytecodealliance/componentize-js/src/componentize.js`)
);
const { component } = await componentize({ sourcePath: src, witPath: wit, worldName: world });
await writeFile(out, component);
