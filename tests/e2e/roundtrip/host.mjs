// The Node host of the round-trip test (issue 5, must-show 3). It runs the
// C guest component, transpiled by jco (`--instantiation async`), implements
// the `host` interface and the `hres` resource, and for every case:
//   1. calls the guest export with a value;
//   2. checks that the matching `host` import receives exactly that value
//      (guest trampoline lifted it, guest import wrapper lowered it);
//   3. returns a value of its own (sometimes changed);
//   4. checks that the guest returns exactly what guest.c's change of the
//      host's value gives (import wrapper lifted it, trampoline lowered it).
// It also counts resource drops: every `hres` the guest drops must be
// disposed once, none twice, none that is still in use; every `gacc` the
// host drops must reach the guest's destructor.
//
//   node host.mjs TRANSPILED_DIR [--log FILE]   (the folder with rt.js)
// Prints one line per failure and `N passed, M failed`; exit 1 on failure.
// With --log, every value case is written as one line of JSON (numbers
// that are not safe integers as their IEEE-754 bits, NaN as "NaN" whatever
// its payload, bigints as "123n",
// typed arrays as arrays), which host.c writes the same way: the two logs
// of one guest must be identical.
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = resolve(process.argv[2] || '.');
const logPath = process.argv[3] === '--log' ? process.argv[4] : null;
const logLines = [];
const J = (x) => {
  const norm = (v) => {
    if (typeof v === 'bigint') return `${v}n`;
    if (Number.isNaN(v)) return 'NaN'; // payloads: not observable in JS
    if (typeof v === 'number' && !Number.isSafeInteger(v) || Object.is(v, -0)) {
      const d = new DataView(new ArrayBuffer(8));
      d.setFloat64(0, v);
      return `f64:${d.getBigUint64(0).toString(16)}`;
    }
    if (v instanceof Hres) return `hres(${v.v})`;
    if (ArrayBuffer.isView(v)) return Array.from(v);
    return v;
  };
  return JSON.stringify(x, (k, v) => norm(v)) ?? 'undefined';
};
const { instantiate } = await import(pathToFileURL(resolve(dir, 'rt.js')).href);

let passed = 0;
let failed = 0;
const fail = (what, msg) => {
  failed++;
  console.log(`FAIL ${what}: ${msg}`);
};

// ---- value comparison -------------------------------------------------

const show = (v) => {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Hres) return `Hres#${v.id}(${v.v})`;
  if (v instanceof Uint8Array) return `u8[${Array.from(v).join(',')}]`;
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v).map((k) => `${k}: ${show(v[k])}`).join(', ')}}`;
  return String(v);
};

// Exact equality: -0 differs from 0, NaN equals NaN, resources by
// identity, object keys whose value is undefined or false (flags) count
// as absent.
const same = (a, b) => {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null)
    return Object.is(a, b);
  if (a instanceof Hres || b instanceof Hres) return a === b;
  if (ArrayBuffer.isView(a) || Array.isArray(a)) {
    if (!(ArrayBuffer.isView(b) || Array.isArray(b)) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return false;
    return true;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const x = a[k] === false ? undefined : a[k];
    const y = b[k] === false ? undefined : b[k];
    if (!same(x, y)) return false;
  }
  return true;
};

const check = (what, got, want) => {
  if (same(got, want)) return true;
  fail(what, `got ${show(got)}, want ${show(want)}`);
  return false;
};

// ---- the imported resource --------------------------------------------

let nextId = 1;
const disposed = new Set(); // Hres objects jco disposed (guest drops)
class Hres {
  constructor(v) {
    this.id = nextId++;
    this.v = v;
  }
  get() {
    return this.v;
  }
  set(v) {
    this.v = v;
  }
  static sum(a, b) {
    return a.v + b.v;
  }
  [Symbol.dispose]() {
    if (disposed.has(this)) fail('hres drop', `Hres#${this.id} dropped twice`);
    disposed.add(this);
  }
}

// ---- the `host` interface: checks what it receives -------------------

// The call the current case expects: host function name and arguments.
let pending = null;

// host.NAME: checks its arguments against `pending`, then returns
// change(...args). A result of { err } is thrown as jco expects of an
// import returning `result` (at the top level a result is ok or a throw).
const hostFn = (name, change) => (...args) => {
  if (!pending || pending.name !== name) {
    fail(`host.${name}`, `called unexpectedly with ${show(args)}`);
  } else {
    pending.called = true;
    check(`host.${name} argument`, args, pending.args);
    pending.seen = J(args);
  }
  const r = change(...args);
  if (pending) {
    // the component-level value returned: results at the top level are
    // jco's value-or-throw, shown here as { tag, val } like guest results
    const shown = r && typeof r === 'object' && 'throwErr' in r
      ? { tag: 'err', val: r.throwErr }
      : name.startsWith('res') ? { tag: 'ok', val: r } : r;
    pending.seen += ` -> ${J(shown)}`;
  }
  if (r && typeof r === 'object' && 'throwErr' in r) throw { payload: r.throwErr };
  return r;
};

// Results at the top level of an import: ok value, or { throwErr }.
const hostResult = (res) => (res.tag === 'ok' ? res.val : { throwErr: res.val });
const id = (v) => v;
const rev = (s) => [...s].reverse().join('');

const madeByHost = []; // Hres objects the host functions made
const hostMake = (v) => {
  const h = new Hres(v);
  madeByHost.push(h);
  return h;
};

const host = {
  s8: hostFn('s8', id),
  u8: hostFn('u8', id),
  s16: hostFn('s16', id),
  u16: hostFn('u16', id),
  s32: hostFn('s32', id),
  u32: hostFn('u32', id),
  s64: hostFn('s64', id),
  u64: hostFn('u64', id),
  f32: hostFn('f32', id),
  f64: hostFn('f64', id),
  boolean: hostFn('boolean', id),
  chr: hostFn('chr', id),
  str: hostFn('str', (s) => s + '\u00b7'),
  bytes: hostFn('bytes', (b) => Uint8Array.from(b)),
  points: hostFn('points', (ps) => ps.map((p) => ({ ...p, y: -p.y }))),
  opt: hostFn('opt', id),
  resBoth: hostFn('resBoth', hostResult),
  resOk: hostFn('resOk', hostResult),
  resErr: hostFn('resErr', hostResult),
  resNone: hostFn('resNone', hostResult),
  var: hostFn('var', id),
  deep: hostFn('deep', id),
  enm: hostFn('enm', id),
  set1: hostFn('set1', id),
  set9: hostFn('set9', id),
  set32: hostFn('set32', id),
  tup: hostFn('tup', id),
  arr: hostFn('arr', id),
  arrStr: hostFn('arrStr', (a) => [a[0] + '1', a[1] + '2']),
  arrBig: hostFn('arrBig', id),
  many: hostFn('many', (...a) => [a[9], a[6] + '|' + a[13], a[5], a[0]]),
  multi: hostFn('multi', (v) => [BigInt(v) * 3n, `m${v}\u00e9`, v / 2, v & 255]),
  hresMake: hostFn('hresMake', hostMake),
  hresTake: hostFn('hresTake', (r) => r.v),
  hresPeek: hostFn('hresPeek', (r) => r.v * 10),
  hresPass: hostFn('hresPass', (r) => hostMake(r.v + 1)),
  hresList: hostFn('hresList', (l) => [hostMake(99), ...l.map((h) => ((h.v += 10), h))]),
};

// ---- instantiate ------------------------------------------------------

const root = await instantiate(
  (name) => readFile(resolve(dir, name)).then((b) => WebAssembly.compile(b)),
  { 'witgen:roundtrip/host': host, 'witgen:roundtrip/types': { Hres } },
);
const guest = root.guest;

// ---- running cases ----------------------------------------------------

// Calls guest[fn](...args), expecting host[fn] to receive `hostArgs`
// (default: args) and the guest to return `want`. `asResult` turns a
// top-level result (value or ComponentError) into { tag, val }.
const run = (fn, args, want, { hostArgs = args, asResult = false, label } = {}) => {
  const what = `guest.${fn}(${label ?? show(args)})`;
  pending = { name: fn, args: hostArgs, called: false };
  const before = failed;
  let got;
  try {
    got = guest[fn](...args);
    if (asResult) got = { tag: 'ok', val: got };
  } catch (e) {
    if (asResult && e && 'payload' in e) got = { tag: 'err', val: e.payload };
    else {
      fail(what, `threw ${e && e.stack ? e.stack.split('\n')[0] : e}`);
      pending = null;
      return;
    }
  }
  if (!pending.called) fail(what, `host.${fn} was not called`);
  logLines.push(`${fn} ${J(args)} | host ${pending.seen ?? ''} | guest -> ${J(got)}`);
  pending = null;
  check(what, got, want);
  if (failed === before) passed++;
};

const wrapInt = (bits, signed) => (v) => {
  const b = BigInt.asUintN(bits, BigInt(v) + 1n);
  const r = signed ? BigInt.asIntN(bits, b) : b;
  return bits === 64 ? r : Number(r);
};
const ints = {
  s8: [8, true, [-128, 127, 0, -1]],
  u8: [8, false, [0, 255, 1]],
  s16: [16, true, [-32768, 32767, 0]],
  u16: [16, false, [0, 65535]],
  s32: [32, true, [-2147483648, 2147483647, 0, -1]],
  u32: [32, false, [0, 4294967295, 123456789]],
  s64: [64, true, [-(2n ** 63n), 2n ** 63n - 1n, 0n, -1n]],
  u64: [64, false, [0n, 2n ** 64n - 1n, 2n ** 53n + 1n]],
};
for (const [fn, [bits, signed, values]] of Object.entries(ints))
  for (const v of values) run(fn, [v], wrapInt(bits, signed)(v));

const f32s = [0, -0, 1.5, -2.5, Infinity, -Infinity, NaN, 3.4028234663852886e38,
  1.401298464324817e-45];
for (const v of f32s) run('f32', [v], -v);
const f64s = [0, -0, Math.PI, Infinity, -Infinity, NaN, Number.MAX_VALUE, Number.MIN_VALUE];
for (const v of f64s) run('f64', [v], -v);

for (const v of [true, false]) run('boolean', [v], !v);

const nextChar = (c) => {
  const cp = c.codePointAt(0);
  return String.fromCodePoint(cp === 0x10ffff ? 0 : cp === 0xd7ff ? 0xe000 : cp + 1);
};
for (const c of ['\0', 'a', '\u00e9', '\u{d7ff}', '\u{e000}', '\u{fffd}', '\u{10000}',
  '\u{10ffff}', '\u{1f600}'])
  run('chr', [c], nextChar(c), { label: `U+${c.codePointAt(0).toString(16)}` });

const longStr = 'añ€😀\0'.repeat(3000);
for (const s of ['', 'hello', 'h\u00e9llo w\u00f6rld \u2713 \u{1f600}', 'a\0b\0', '\u{10ffff}\u{d7ff}\u{e000}', longStr])
  run('str', [s], rev(s + '\u00b7'), { label: s.length > 40 ? `${s.length} chars` : undefined });

const bytes = [new Uint8Array(0), Uint8Array.from([0, 1, 255]),
  Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) & 255)];
for (const b of bytes)
  run('bytes', [b], Uint8Array.from(b).reverse(), { label: `${b.length} bytes` });

const pts = [
  [],
  [
    { x: 2147483647, y: -0.5, name: 'p', tags: [] },
    { x: -5, y: 1e300, name: '\u00fc', tags: ['a', 'b\u00e9', ''] },
    { x: 0, y: -0, name: '', tags: ['only'] },
  ],
];
for (const l of pts) {
  const want = l
    .map((p) => ({ x: (p.x + 1) | 0, y: -p.y, name: p.name, tags: [...p.tags].reverse() }))
    .reverse();
  run('points', [l], want);
}

const none = { tag: 'none' };
const some = (val) => ({ tag: 'some', val });
run('opt', [none], some(undefined));
run('opt', [some(undefined)], none);
run('opt', [some(0)], some(1));
run('opt', [some(4294967295)], some(0));

const ok = (val) => ({ tag: 'ok', val });
const err = (val) => ({ tag: 'err', val });
run('resBoth', [ok('abc\u00e9')], ok(rev('abc\u00e9')), { asResult: true });
run('resBoth', [ok('')], ok(''), { asResult: true });
run('resBoth', [err(0)], err(1), { asResult: true });
run('resBoth', [err(4294967295)], err(0), { asResult: true });
run('resOk', [ok(7)], ok(8), { asResult: true });
run('resOk', [err(undefined)], err(undefined), { asResult: true });
run('resErr', [ok(undefined)], err('ok!'), { asResult: true });
run('resErr', [err('')], ok(undefined), { asResult: true });
run('resErr', [err('xy\u00e9')], err(rev('xy\u00e9')), { asResult: true });
run('resNone', [ok(undefined)], err(undefined), { asResult: true });
run('resNone', [err(undefined)], ok(undefined), { asResult: true });

// Shapes: guest.c's change_shape, mirrored.
const colors = ['red', 'green', 'blue', 'cyan', 'magenta'];
const nextColor = (c) => colors[(colors.indexOf(c) + 1) % colors.length];
const changeShape = (s) => {
  switch (s.tag) {
    case 'circle': return { tag: 'circle', val: Math.fround(s.val * 2) };
    case 'rect': return { tag: 'rect', val: [s.val[1], s.val[0]] };
    case 'named': return { tag: 'named', val: rev(s.val) };
    case 'maybe': {
      const m = s.val;
      if (m.tag === 'none') return { tag: 'maybe', val: some(undefined) };
      if (m.val === undefined) return { tag: 'maybe', val: none };
      return { tag: 'maybe', val: some(rev(m.val)) };
    }
    case 'outcome':
      return { tag: 'outcome', val: s.val.tag === 'ok'
        ? ok(BigInt.asIntN(64, s.val.val + 1n)) : err(nextColor(s.val.val)) };
    case 'inner':
      return { tag: 'inner', val: [...s.val].reverse().map((l) =>
        l.tag === 'tag' ? { tag: 'tag', val: (l.val + 1) & 0xffff }
          : l.tag === 'label' ? { tag: 'label', val: rev(l.val) } : l) };
    default: return s;
  }
};
const shapes = [
  { tag: 'none' },
  { tag: 'circle', val: 1.5 },
  { tag: 'circle', val: -0 },
  { tag: 'rect', val: [1, 4294967295] },
  { tag: 'named', val: 'na\u00efve' },
  { tag: 'maybe', val: none },
  { tag: 'maybe', val: some(undefined) },
  { tag: 'maybe', val: some('s\u00df') },
  { tag: 'outcome', val: ok(-(2n ** 63n)) },
  { tag: 'outcome', val: ok(2n ** 63n - 1n) },
  { tag: 'outcome', val: err('magenta') },
  { tag: 'inner', val: [] },
  { tag: 'inner', val: [{ tag: 'dot' }, { tag: 'tag', val: 65535 }, { tag: 'label', val: 'ab\u00e7' }] },
];
for (const s of shapes) run('var', [s], changeShape(s));

const deeps = [
  [],
  [undefined, ok([255, 'xy']), ok([0, '']), err({ tag: 'named', val: 'q' }),
    err({ tag: 'inner', val: [{ tag: 'label', val: 'k\u00e9' }, { tag: 'dot' }] }),
    err({ tag: 'outcome', val: err('red') })],
];
for (const d of deeps) {
  const want = [...d].reverse().map((e) => e === undefined ? undefined
    : e.tag === 'ok' ? ok([(e.val[0] + 1) & 255, rev(e.val[1])]) : err(changeShape(e.val)));
  run('deep', [d], want);
}

for (const c of colors) run('enm', [c], nextColor(c));

// Flags as jco shows them: an object of booleans.
const flagsOf = (prefix, n, bits) => {
  const o = {};
  for (let i = 0; i < n; i++) o[`${prefix}${i}`] = ((bits >>> i) & 1) === 1;
  return o;
};
for (const bits of [0, 1]) run('set1', [flagsOf('a', 1, bits)], flagsOf('a', 1, bits ^ 1));
for (const bits of [0, 0x101, 0x1ff, 0x0aa])
  run('set9', [flagsOf('d', 9, bits)], flagsOf('d', 9, bits ^ 0x1ff));
for (const bits of [0, 1, 0x80000000, 0x00020020, 0xffffffff])
  run('set32', [flagsOf('b', 32, bits)], flagsOf('b', 32, (bits ^ 0x80000001) >>> 0));

const tups = [
  [0, -(2n ** 63n), 't\u00fc', 1.5, true, '\u{10ffff}'],
  [255, 2n ** 63n - 1n, '', -Infinity, false, 'a'],
];
for (const t of tups)
  run('tup', [t], [(t[0] + 1) & 255, BigInt.asIntN(64, t[1] + 1n), rev(t[2]), -t[3], !t[4],
    nextChar(t[5])]);

for (const a of [[-32768, 32767, 0, -1], [1, 2, 3, 4]])
  run('arr', [a], a.map((x) => ((x + 1) << 16) >> 16));
for (const a of [['', ''], ['\u00e9t\u00e9', 'x\u{1f600}']])
  run('arrStr', [a], [rev(a[1] + '2'), rev(a[0] + '1')]);
{
  const a = Array.from({ length: 20 }, (_, i) => (i * 13 + 250) & 255);
  run('arrBig', [a], [...a].reverse(), { label: '20 x u8' });
}

const changeMany = (r) => [BigInt.asUintN(64, r[0] + 1n), rev(r[1]), -r[2], (r[3] + 1) & 255];
const manyArgs = [
  [255, -32768, 4294967295, -(2n ** 63n), -0, Math.E, 'g\u00e9', true, '\u{10ffff}',
    2n ** 64n - 1n, -128, 65535, -2147483648, 'n\u{1f600}', Infinity,
    Uint8Array.from([9, 8, 7]), 4294967295],
  [0, 1, 2, 3n, 4.5, 5.25, '', false, 'z', 6n, 7, 8, 9, '', NaN, new Uint8Array(0), 10],
];
for (const a of manyArgs)
  run('many', a, changeMany([a[9], a[6] + '|' + a[13], a[5], a[0]]), { label: '17 args' });
for (const v of [0, 4294967295, 7])
  run('multi', [v], changeMany([BigInt(v) * 3n, `m${v}\u00e9`, v / 2, v & 255]));

// ---- resources --------------------------------------------------------

// Runs a resource case; `body` returns a list of [what, got, want].
const resCase = (what, body) => {
  const before = failed;
  try {
    for (const [w, got, want] of body()) check(`${what}: ${w}`, got, want);
  } catch (e) {
    fail(what, `threw ${e && e.stack ? e.stack.split('\n').slice(0, 2).join(' ') : e}`);
  }
  pending = null;
  if (failed === before) passed++;
};
const wasDisposed = (h) => disposed.has(h);

resCase('hres-make: host handle, constructor, methods, drop', () => {
  madeByHost.length = 0;
  pending = { name: 'hresMake', args: [5], called: false };
  const r = guest.hresMake(5);
  const a = madeByHost[0];
  return [
    ['result made by the constructor import', r instanceof Hres && r !== a, true],
    ['value (2 * 5, then set(get() + 1))', r.v, 11],
    ['the host\'s handle was dropped', wasDisposed(a), true],
    ['the result was not', wasDisposed(r), false],
  ];
});

resCase('hres-take: own moves guest -> host', () => {
  const a = new Hres(21);
  pending = { name: 'hresTake', args: [a], called: false };
  const r = guest.hresTake(a);
  return [['result', r, 42], ['host received it', pending.called, true],
    ['not dropped by the guest', wasDisposed(a), false]];
});

resCase('hres-peek: borrow to import, method, static', () => {
  const a = new Hres(7);
  pending = { name: 'hresPeek', args: [a], called: false };
  const r = guest.hresPeek(a);
  return [['result 70 + 7 + 14', r, 91], ['borrow not dropped as own', wasDisposed(a), false],
    ['still usable', a.get(), 7]];
});

resCase('hres-pass: own in, own out', () => {
  madeByHost.length = 0;
  const a = new Hres(3);
  pending = { name: 'hresPass', args: [a], called: false };
  const r = guest.hresPass(a);
  return [['result is the host\'s new object', r === madeByHost[0], true], ['value', r.v, 104],
    ['argument not dropped by the guest', wasDisposed(a), false],
    ['result not dropped', wasDisposed(r), false]];
});

for (const n of [0, 1, 3]) {
  resCase(`hres-list of ${n}: list<own> both ways, _free drops one`, () => {
    madeByHost.length = 0;
    const l = Array.from({ length: n }, (_, i) => new Hres(i + 1));
    pending = { name: 'hresList', args: [l], called: false };
    const r = guest.hresList(l);
    const extra = madeByHost[0];
    return [
      ['result: the same objects reversed', r, [...l].reverse()],
      ['values bumped by the host', r.map((h) => h.v), [...l].reverse().map((h) => h.v)],
      ['values', l.map((h) => h.v), l.map((_, i) => i + 11)],
      ['the extra handle was dropped', wasDisposed(extra), true],
      ['no returned handle dropped', r.some(wasDisposed), false],
    ];
  });
}

resCase('gacc: constructor, methods, static, drops reach the destructor', () => {
  const out = [];
  const d0 = guest.gaccDropped();
  out.push(['live at start', guest.gaccLive(), 0]);
  const a = new guest.Gacc(10n);
  out.push(['add', a.add(5n), 15n], ['get', a.get(), 15n]);
  const b = new guest.Gacc(-(2n ** 63n));
  const c = guest.Gacc.merge(a, b);
  out.push(['merge', c.get(), 15n - 2n ** 63n]);
  out.push(['merge dropped its own argument', guest.gaccDropped() - d0, 1]);
  out.push(['live after merge', guest.gaccLive(), 2]);
  let threw = false;
  try {
    a.get();
  } catch {
    threw = true;
  }
  out.push(['a moved into merge is no longer usable', threw, true]);
  const w = new guest.Gacc(2n ** 63n - 1n);
  out.push(['add wraps', w.add(1n), -(2n ** 63n)]);
  b[Symbol.dispose]();
  c[Symbol.dispose]();
  w[Symbol.dispose]();
  b[Symbol.dispose](); // a second dispose is a no-op in jco
  out.push(['destructor ran for each', guest.gaccDropped() - d0, 4]);
  out.push(['live at end', guest.gaccLive(), 0]);
  return out;
});

// Every host-made handle the guest received and did not return must have
// been dropped exactly once (checked in Symbol.dispose); nothing else.
resCase('hres drops: only the handles the guest let go', () => {
  const list = [...disposed].map((h) => h.v);
  return [['dropped values (hres-make, hres-list extras)', list, [5, 99, 99, 99]]];
});

if (logPath) writeFileSync(logPath, logLines.join('\n') + '\n');
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
