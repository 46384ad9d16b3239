// Our driver for the interop oracle: wasm-tools compiled to Wasm inside the
// npm package @bytecodealliance/jco-transpile (installed by scripts/setup-oracle
// into the build tree). Tests only; the product never needs Node.
//
//   NODE_PATH=BUILD/oracle/node_modules node oracle.mjs COMMAND ARGS...
//     embed WIT WORLD OUT.wasm [CORE.wasm]   embed WORLD's component type (WIT file or
//                                            folder; WORLD "" for the only world)
//     new CORE.wasm OUT.wasm [NAME=ADAPTER]  `component new`; validates, exit 1 on error
//     wit COMPONENT.wasm                     `component wit`
//     print FILE.wasm                        WAT of a module or component
//     parse FILE.wat OUT.wasm                WAT (core or component) to binary
//     strip CORE.wasm OUT.wasm               the module without its component-type sections
//     batch FILE                             the commands of FILE, one a line (see below)
//
// Why not jco's own CLI: the bundled wasm-tools sees no files unless its WASI
// shim has a preopen. jco-transpile carries its own nested copy of
// preview2-shim, so the preopen must be set on that copy, not the top one.
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const modules = process.env.NODE_PATH || 'node_modules';
const transpile = resolve(modules, '@bytecodealliance/jco-transpile');
const nestedShim = resolve(transpile, 'node_modules/@bytecodealliance/preview2-shim');
const shimRoot = existsSync(nestedShim) ? nestedShim : resolve(modules, '@bytecodealliance/preview2-shim');
const importFile = (path) => import(pathToFileURL(path).href);

const fs = await importFile(resolve(shimRoot, 'dist/nodejs/filesystem.js'));
fs._setPreopens({ '/': '/' });
const wt = await importFile(resolve(transpile, 'dist/wasm-tools.js'));

// A core module without its `component-type*` custom sections (plain
// section walk; no wasm-tools needed).
function stripComponentTypes(bytes) {
  const leb = (p) => {
    let v = 0, shift = 0, b;
    do {
      b = bytes[p.at++];
      v |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    return v >>> 0;
  };
  const parts = [bytes.subarray(0, 8)];
  const p = { at: 8 };
  while (p.at < bytes.length) {
    const start = p.at;
    const id = bytes[p.at++];
    const size = leb(p);
    const body = p.at;
    p.at += size;
    if (id === 0) {
      const q = { at: body };
      const nlen = leb(q);
      const name = Buffer.from(bytes.subarray(q.at, q.at + nlen)).toString();
      if (name.startsWith('component-type')) continue;
    }
    parts.push(bytes.subarray(start, p.at));
  }
  return Buffer.concat(parts);
}

// One command; `out` receives what `wit` and `print` write.
async function run(cmd, a, out) {
  switch (cmd) {
    case 'embed': {
      // The shim refuses paths through symbolic links (e.g. a ../shared
      // link beside the checkout): hand wasm-tools the real path.
      const opts = { witPath: realpathSync(resolve(a[0])) };
      if (a[1]) opts.world = a[1];
      if (a[3]) opts.binary = readFileSync(a[3]);
      else opts.dummy = true;
      writeFileSync(a[2], await wt.componentEmbed(opts));
      break;
    }
    case 'new': {
      const adapters = a.slice(2).map((s) => {
        const eq = s.indexOf('=');
        return [s.slice(0, eq), readFileSync(s.slice(eq + 1))];
      });
      writeFileSync(a[1], await wt.componentNew(readFileSync(a[0]), adapters));
      break;
    }
    case 'wit':
      out(await wt.componentWit(readFileSync(a[0])));
      break;
    case 'print':
      out(await wt.print(readFileSync(a[0])));
      break;
    case 'parse':
      writeFileSync(a[1], await wt.parse(readFileSync(a[0], 'utf8')));
      break;
    case 'strip':
      writeFileSync(a[1], stripComponentTypes(readFileSync(a[0])));
      break;
    default:
      console.error('usage: oracle.mjs embed|new|wit|print|parse|batch ...');
      process.exit(2);
  }
}

const [cmd, ...a] = process.argv.slice(2);
if (cmd === 'batch') {
  // One command a line, arguments separated by tabs; `wit` and `print`
  // take their output file as an extra last argument. A failing command
  // writes its message to LAST_ARGUMENT.err and the batch goes on: one
  // Node process for many worlds (loading wasm-tools takes most of a run).
  for (const line of readFileSync(a[0], 'utf8').split('\n')) {
    if (!line) continue;
    const [c, ...args] = line.split('\t');
    const last = args[args.length - 1];
    try {
      if (c === 'wit' || c === 'print') {
        await run(c, args.slice(0, -1), (text) => writeFileSync(last, text));
      } else {
        await run(c, args, () => {});
      }
    } catch (e) {
      writeFileSync(`${last}.err`, `oracle ${c}: ${e && e.message ? e.message : e}\n`);
    }
  }
  process.exit(0);
}
try {
  await run(cmd, a, (text) => process.stdout.write(text));
} catch (e) {
  console.error(`oracle ${cmd}: ${e && e.message ? e.message : e}`);
  process.exit(1);
}
