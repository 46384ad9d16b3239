/* SPDX-License-Identifier: Apache-2.0 */
/* Reading component values from text (cread.c, cwave.c, cwast.c): WAVE
 * (wg_cval_parse_wave, wg_cval_parse_wave_args) and the .wast forms
 * (wg_cval_parse_wast), typed by the import types of a component written
 * below in text (encoded by witgen's own text parser). Expected readings
 * follow the WAVE README and EBNF of wasm-tools' wasm-wave and the value
 * forms of the Component Model's reference scripts; malformed and
 * mistyped input must fail with a located message, never crash. */
#include <math.h>

#include "component_util.h"
#include "witgen/wat.h"

static const char TYPES[] =
    "(component\n"
    "  (type $point' (record (field \"x\" s32) (field \"y\" s32)\n"
    "                        (field \"label\" (option string))))\n"
    "  (import \"point\" (type $point (eq $point')))\n"
    "  (type $shape' (variant (case \"circle\" f64) (case \"square\" $point)\n"
    "                         (case \"empty\") (case \"ok\" u32)))\n"
    "  (import \"shape\" (type $shape (eq $shape')))\n"
    "  (type $dir' (enum \"north\" \"south\" \"none\"))\n"
    "  (import \"dir\" (type $dir (eq $dir')))\n"
    "  (type $perm' (flags \"read\" \"write\" \"exec\"))\n"
    "  (import \"perm\" (type $perm (eq $perm')))\n"
    "  (import \"r\" (type $r (sub resource)))\n"
    "  (import \"bool\" (func (param \"v\" bool)))\n"
    "  (import \"s8\" (func (param \"v\" s8)))\n"
    "  (import \"u8\" (func (param \"v\" u8)))\n"
    "  (import \"s16\" (func (param \"v\" s16)))\n"
    "  (import \"u16\" (func (param \"v\" u16)))\n"
    "  (import \"s32\" (func (param \"v\" s32)))\n"
    "  (import \"u32\" (func (param \"v\" u32)))\n"
    "  (import \"s64\" (func (param \"v\" s64)))\n"
    "  (import \"u64\" (func (param \"v\" u64)))\n"
    "  (import \"f32\" (func (param \"v\" f32)))\n"
    "  (import \"f64\" (func (param \"v\" f64)))\n"
    "  (import \"char\" (func (param \"v\" char)))\n"
    "  (import \"string\" (func (param \"v\" string)))\n"
    "  (import \"list\" (func (param \"v\" (list u32))))\n"
    "  (import \"fixed\" (func (param \"v\" (list u16 3))))\n"
    "  (import \"nested\" (func (param \"v\" (list (list (list u8))))))\n"
    "  (import \"tuple\" (func (param \"v\" (tuple u8 string))))\n"
    "  (import \"rec\" (func (param \"v\" $point)))\n"
    "  (import \"var\" (func (param \"v\" $shape)))\n"
    "  (import \"enum\" (func (param \"v\" $dir)))\n"
    "  (import \"flags\" (func (param \"v\" $perm)))\n"
    "  (import \"opt\" (func (param \"v\" (option u32))))\n"
    "  (import \"optopt\" (func (param \"v\" (option (option u32)))))\n"
    "  (import \"optrec\" (func (param \"v\" (option $point))))\n"
    "  (import \"res\" (func (param \"v\" (result u32 (error string)))))\n"
    "  (import \"res-empty\" (func (param \"v\" (result))))\n"
    "  (import \"res-err\" (func (param \"v\" (result (error string)))))\n"
    "  (import \"own\" (func (param \"v\" (own $r))))\n"
    "  (import \"borrow\" (func (param \"v\" (borrow $r))))\n"
    "  (import \"two\" (func (param \"a\" u32) (param \"b\" (option "
    "string))))\n"
    ")\n";

static WgEngine *engine;
static WgWasmComponent *types;

static int setup(void **state) {
  (void)state;
  engine = wg_engine_new(NULL);
  WgBuf bin = { 0 };
  WgDiagList *d = wg_diag_list_new();
  if (wg_wat_parse(WG_STR(TYPES), "types.wat", d, &bin) != WG_OK ||
      wg_wasm_component_load(engine, (const uint8_t *)bin.data, bin.len, &types,
                             d) != WG_OK) {
    wg_diag_list_print(d, stderr);
    return -1;
  }
  wg_diag_list_delete(d);
  wg_buf_free(&bin);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  wg_wasm_component_delete(types);
  wg_engine_delete(engine);
  return 0;
}

static const WgCFuncTy *func(const char *name) {
  const WgCComponentTy *ct = wg_wasm_component_type(types);
  for (uint32_t i = 0; i < ct->import_count; i++)
    if (wg_str_eq(ct->imports[i].name.name, wg_str_from_cstr(name)) &&
        ct->imports[i].type.sort == WG_CSORT_FUNC)
      return ct->imports[i].type.of.func;
  fail_msg("no import %s", name);
  return NULL;
}

static const WgCValTy *ty(const char *name) {
  return func(name)->params[0];
}

/* The value `text` reads as (printed back in WAVE), or "error S @C:
 * message" with the status, the 1-based column of the error's span and
 * its message. */
static char out[1024];

static const char *outcome(WgStatus st, const WgCVal *v, const WgCValTy *t,
                           WgDiagList *d) {
  if (st == WG_OK) {
    WgBuf b = { 0 };
    wg_cval_print(&b, v, t);
    snprintf(out, sizeof out, "%.*s", (int)b.len, b.data ? b.data : "");
    wg_buf_free(&b);
  } else {
    const WgDiag *g = wg_diag_list_count(d) ? wg_diag_list_get(d, 0) : NULL;
    snprintf(out, sizeof out, "error %s @%u: %s", wg_status_str(st),
             g && g->has_span ? g->span.start + 1 : 0,
             g ? g->message : "(no message)");
  }
  return out;
}

static const char *wave(const char *type, const char *text) {
  WgDiagList *d = wg_diag_list_new();
  WgCVal v;
  WgStatus st =
      wg_cval_parse_wave(wg_str_from_cstr(text), ty(type), NULL, &v, d);
  outcome(st, &v, ty(type), d);
  if (st == WG_OK) {
    /* what was read is a value of its type */
    assert_true(wg_cval_check(&v, ty(type), NULL));
  } else {
    assert_int_equal(v.kind, WG_CVAL_BOOL); /* nothing left to free */
    assert_true(wg_diag_list_count(d) == 1);
  }
  wg_cval_free(&v);
  wg_diag_list_delete(d);
  return out;
}

static const char *wast(const char *type, const char *text) {
  WgDiagList *d = wg_diag_list_new();
  WgCVal v;
  WgStatus st =
      wg_cval_parse_wast(wg_str_from_cstr(text), ty(type), NULL, &v, d);
  outcome(st, &v, ty(type), d);
  if (st == WG_OK) assert_true(wg_cval_check(&v, ty(type), NULL));
  wg_cval_free(&v);
  wg_diag_list_delete(d);
  return out;
}

static void wave_scalars(void **state) {
  (void)state;
  assert_string_equal(wave("bool", "true"), "true");
  assert_string_equal(wave("bool", " false "), "false");
  assert_string_equal(wave("s8", "-128"), "-128");
  assert_string_equal(wave("s8", "128"),
                      "error invalid @1: 128 is out of range for s8");
  assert_string_equal(wave("u8", "255"), "255");
  assert_string_equal(wave("u8", "-1"),
                      "error invalid @1: -1 is out of range for u8");
  assert_string_equal(wave("u8", "-0"), "0");
  assert_string_equal(wave("s16", "-32768"), "-32768");
  assert_string_equal(wave("u16", "65536"),
                      "error invalid @1: 65536 is out of range for u16");
  assert_string_equal(wave("s32", "-2147483648"), "-2147483648");
  assert_string_equal(wave("u32", "4294967295"), "4294967295");
  assert_string_equal(wave("s64", "-9223372036854775808"),
                      "-9223372036854775808");
  assert_string_equal(wave("s64", "9223372036854775808"),
                      "error invalid @1: 9223372036854775808 is out of range "
                      "for s64");
  assert_string_equal(wave("u64", "18446744073709551615"),
                      "18446744073709551615");
  assert_string_equal(wave("u64", "18446744073709551616"),
                      "error invalid @1: 18446744073709551616 is out of range "
                      "for u64");
  assert_string_equal(wave("u32", "1.5"),
                      "error invalid @1: not an integer: `1.5`: u32 expects "
                      "an integer");
  assert_string_equal(wave("u32", "0x10"),
                      "error malformed @1: malformed number `0x10`: u32 "
                      "expects an integer");
  assert_string_equal(wave("u32", "+1"),
                      "error malformed @1: malformed number `+1` (no `+` in "
                      "WAVE)");
  assert_string_equal(wave("f64", "3.14"), "3.14");
  assert_string_equal(wave("f64", "6.022e+23"), "6.022e+23");
  assert_string_equal(wave("f64", "-0"), "-0");
  assert_string_equal(wave("f64", "nan"), "nan");
  assert_string_equal(wave("f64", "-inf"), "-inf");
  assert_string_equal(wave("f32", "inf"), "inf");
  assert_string_equal(wave("f32", "0.1"), "0.1");
  assert_string_equal(wave("f32", "1e39"),
                      "error invalid @1: 1e39 is out of range for f32");
  assert_string_equal(wave("f64", "1."),
                      "error malformed @1: malformed number `1.`");
  assert_string_equal(wave("f64", ".5"),
                      "error invalid @1: expected `f64`, found `.5`");
  assert_string_equal(wave("f64", "nan:0x1"),
                      "error malformed @4: unexpected `:` after the value");
  assert_string_equal(wave("u32", "\"7\""),
                      "error invalid @1: expected `u32`, found a string");
  assert_string_equal(wave("bool", "yes"),
                      "error invalid @1: expected `bool`, found `yes`");
}

static void wave_chars_and_strings(void **state) {
  (void)state;
  assert_string_equal(wave("char", "'x'"), "'x'");
  assert_string_equal(wave("char", "'\xe2\x98\x83'"), "'\xe2\x98\x83'");
  assert_string_equal(wave("char", "'\\''"), "'\\''");
  assert_string_equal(wave("char", "'\\u{1F600}'"), "'\xf0\x9f\x98\x80'");
  assert_string_equal(wave("char", "'\\u{0}'"), "'\\u{0}'");
  assert_string_equal(
      wave("char", "'ab'"),
      "error invalid @1: a char holds exactly one Unicode scalar value");
  assert_string_equal(wave("char", "'\\u{D800}'"),
                      "error malformed @2: escape `\\u{d800}` is not a "
                      "Unicode scalar value");
  assert_string_equal(wave("string", "\"abc\\t123\""), "\"abc\\t123\"");
  assert_string_equal(wave("string", "\"a\\\"b\\\\c\\n\\u{41}'\""),
                      "\"a\\\"b\\\\c\\nA'\"");
  assert_string_equal(wave("string", "\"\""), "\"\"");
  assert_string_equal(wave("string", "\"abc"),
                      "error malformed @1: unterminated string");
  assert_string_equal(wave("string", "\"a\\qb\""),
                      "error malformed @3: unknown escape `\\q` (WAVE has \\t "
                      "\\n \\r \\' \\\" \\\\ \\u{HEX})");
  assert_string_equal(wave("string", "\"a\\u{110000}\""),
                      "error malformed @3: malformed escape: `\\u{HEX}` with "
                      "1 to 6 hex digits");
  assert_string_equal(wave("string", "\"\xff\""),
                      "error malformed @1: malformed UTF-8 encoding (byte 0 "
                      "of the value)");
  /* multiline: the closing line's indentation is removed everywhere */
  assert_string_equal(wave("string", "\"\"\"\n    Indentation determined\n"
                                     "      by ending delimiter\n  \"\"\""),
                      "\"  Indentation determined\\n    by ending delimiter\"");
  assert_string_equal(wave("string", "\"\"\"\nA single line\n\"\"\""),
                      "\"A single line\"");
  assert_string_equal(wave("string", "\"\"\"\n  x\n y\n  \"\"\""),
                      "error malformed @9: a line of a multiline string is "
                      "indented less than its closing `\"\"\"`");
  assert_string_equal(wave("string", "\"\"\"x\"\"\""),
                      "error malformed @1: a multiline string starts with "
                      "`\"\"\"` and a line break");
}

static void wave_lists_tuples_records(void **state) {
  (void)state;
  assert_string_equal(wave("list", "[1, 2, 3]"), "[1, 2, 3]");
  assert_string_equal(wave("list", "[ 1 , 2 , ]"), "[1, 2]");
  assert_string_equal(wave("list", "[]"), "[]");
  assert_string_equal(wave("list", "[1, // one\n 2]"), "[1, 2]");
  assert_string_equal(wave("list", "[1 2]"),
                      "error malformed @4: expected `]` or `,` after a list "
                      "item, found `2`");
  assert_string_equal(wave("list", "[1,,2]"),
                      "error invalid @4: expected `u32`, found `,`");
  assert_string_equal(wave("list", "[1, 2"),
                      "error malformed @6: expected `]` or `,` after a list "
                      "item, found the end of the text");
  assert_string_equal(wave("fixed", "[1, 2, 3]"), "[1, 2, 3]");
  assert_string_equal(wave("fixed", "[1, 2]"),
                      "error invalid @1: a list of 2 items where `list<_, "
                      "3>` needs 3");
  assert_string_equal(wave("nested", "[[[1], []], [[2, 3]]]"),
                      "[[[1], []], [[2, 3]]]");
  assert_string_equal(wave("tuple", "(7, \"a\")"), "(7, \"a\")");
  assert_string_equal(wave("tuple", "(7, \"a\",)"), "(7, \"a\")");
  assert_string_equal(wave("tuple", "(7)"),
                      "error invalid @1: a tuple of 1 items where 2 are "
                      "expected");
  assert_string_equal(wave("tuple", "(7, \"a\", 8)"),
                      "error invalid @10: too many items for a tuple of 2");
  assert_string_equal(wave("rec", "{x: 1, y: -2}"),
                      "{x: 1, y: -2, label: none}");
  assert_string_equal(wave("rec", "{label: some(\"p\"), y: 2, x: 1,}"),
                      "{x: 1, y: 2, label: some(\"p\")}");
  assert_string_equal(wave("rec", "{label: \"flat\", y: 2, x: 1}"),
                      "{x: 1, y: 2, label: some(\"flat\")}");
  assert_string_equal(wave("rec", "{%x: 1, y: 2}"),
                      "{x: 1, y: 2, label: none}");
  assert_string_equal(wave("rec", "{x: 1}"),
                      "error invalid @1: missing field `y` (s32)");
  assert_string_equal(wave("rec", "{x: 1, z: 2}"),
                      "error invalid @8: unknown field `z`: `point` has x, "
                      "y, label");
  assert_string_equal(wave("rec", "{x: 1, x: 2}"),
                      "error invalid @8: field `x` given twice");
  assert_string_equal(wave("rec", "{x 1}"),
                      "error malformed @4: expected `:` after a field name, "
                      "found `1`");
  assert_string_equal(wave("rec", "[1, 2]"),
                      "error invalid @1: expected `point` (record), found a "
                      "list");
}

static void wave_cases_and_flags(void **state) {
  (void)state;
  assert_string_equal(wave("var", "circle(1.5)"), "circle(1.5)");
  assert_string_equal(wave("var", "empty"), "empty");
  assert_string_equal(wave("var", "%ok(3)"), "ok(3)");
  assert_string_equal(wave("var", "square({x: 1, y: 2})"),
                      "square({x: 1, y: 2, label: none})");
  assert_string_equal(wave("var", "circle"),
                      "error invalid @1: case `circle` has a payload of type "
                      "`f64`: write `circle(...)`");
  assert_string_equal(wave("var", "empty(1)"),
                      "error invalid @1: case `empty` has no payload");
  assert_string_equal(wave("var", "triangle(1)"),
                      "error invalid @1: unknown case `triangle`: `shape` has "
                      "circle, square, empty, ok");
  assert_string_equal(wave("var", "circle(1.5"),
                      "error malformed @11: expected `)` after a case's "
                      "payload, found the end of the text");
  assert_string_equal(wave("enum", "south"), "south");
  assert_string_equal(wave("enum", "%none"), "none");
  assert_string_equal(wave("enum", "west"),
                      "error invalid @1: unknown case `west`: `dir` has "
                      "north, south, none");
  assert_string_equal(wave("enum", "7"),
                      "error invalid @1: expected `dir` (enum), found the "
                      "number `7`");
  assert_string_equal(wave("flags", "{read, exec}"), "{read, exec}");
  assert_string_equal(wave("flags", "{exec, read,}"), "{read, exec}");
  assert_string_equal(wave("flags", "{}"), "{}");
  assert_string_equal(wave("flags", "{delete}"),
                      "error invalid @2: unknown flag `delete`: `perm` has "
                      "read, write, exec");
  assert_string_equal(wave("opt", "some(1)"), "some(1)");
  assert_string_equal(wave("opt", "none"), "none");
  assert_string_equal(wave("opt", "7"), "some(7)");
  assert_string_equal(wave("opt", "none(1)"),
                      "error invalid @1: `none` has no payload");
  assert_string_equal(wave("optopt", "some(none)"), "some(none)");
  assert_string_equal(wave("optopt", "some(some(1))"), "some(some(1))");
  assert_string_equal(wave("optopt", "some(1)"), "some(some(1))");
  assert_string_equal(wave("optopt", "1"),
                      "error invalid @1: expected `option<option<u32>>`, "
                      "found the number `1`");
  assert_string_equal(wave("optrec", "{x: 1, y: 2}"),
                      "some({x: 1, y: 2, label: none})");
  assert_string_equal(wave("res", "ok(1)"), "ok(1)");
  assert_string_equal(wave("res", "err(\"no\")"), "err(\"no\")");
  assert_string_equal(wave("res", "5"), "ok(5)");
  assert_string_equal(wave("res", "ok"),
                      "error invalid @1: case `ok` has a payload of type "
                      "`u32`: write `ok(...)`");
  assert_string_equal(wave("res-empty", "ok"), "ok");
  assert_string_equal(wave("res-empty", "err"), "err");
  assert_string_equal(wave("res-err", "ok"), "ok");
  assert_string_equal(wave("res-err", "err(\"x\")"), "err(\"x\")");
  assert_string_equal(wave("res-err", "\"x\""),
                      "error invalid @1: expected `result<_, string>`, found "
                      "a string");
}

static void wave_rest_of_text(void **state) {
  (void)state;
  assert_string_equal(wave("u32", "1 2"),
                      "error malformed @3: unexpected `2` after the value");
  assert_string_equal(wave("u32", "  1  // trailing comment"), "1");
  assert_string_equal(wave("u32", ""),
                      "error invalid @1: expected `u32`, found the end of "
                      "the text");
  /* `start` and `end`: a value inside a longer text */
  WgDiagList *d = wg_diag_list_new();
  size_t end = 0;
  WgCValReadOptions o = { .path = "--invoke", .start = 4, .end = &end };
  WgCVal v;
  assert_int_equal(
      wg_cval_parse_wave(WG_STR("f = [1, 2] ; more"), ty("list"), &o, &v, d),
      WG_OK);
  assert_int_equal(end, 11);
  wg_cval_free(&v);
  /* errors are located in the whole text, registered under `path` */
  assert_int_equal(
      wg_cval_parse_wave(WG_STR("f = [1, x]"), ty("list"), &o, &v, d),
      WG_ERR_INVALID);
  assert_int_equal(wg_diag_list_get(d, 0)->span.start, 8);
  wg_diag_list_delete(d);
}

static void wave_call_arguments(void **state) {
  (void)state;
  const WgCFuncTy *two = func("two");
  WgCVal args[2];
  WgDiagList *d = wg_diag_list_new();
  assert_int_equal(
      wg_cval_parse_wave_args(WG_STR("(1, some(\"a\"))"), two, NULL, args, d),
      WG_OK);
  assert_int_equal(args[0].of.u, 1);
  assert_int_equal(args[1].of.cases.index, 1);
  wg_cval_free(&args[0]);
  wg_cval_free(&args[1]);
  /* trailing options may be left out */
  assert_int_equal(wg_cval_parse_wave_args(WG_STR("(1)"), two, NULL, args, d),
                   WG_OK);
  assert_int_equal(args[1].kind, WG_CVAL_OPTION);
  assert_int_equal(args[1].of.cases.index, 0);
  assert_int_equal(
      wg_cval_parse_wave_args(WG_STR(" ( 1 , ) "), two, NULL, args, d), WG_OK);
  assert_int_equal(wg_diag_list_count(d), 0);
  assert_int_equal(wg_cval_parse_wave_args(WG_STR("()"), two, NULL, args, d),
                   WG_ERR_INVALID);
  assert_string_equal(wg_diag_list_first_error(d),
                      "0 arguments given, `func(a: u32, b: option<string>)` "
                      "takes 2");
  wg_diag_list_delete(d);
  d = wg_diag_list_new();
  assert_int_equal(
      wg_cval_parse_wave_args(WG_STR("(1, none, 3)"), two, NULL, args, d),
      WG_ERR_INVALID);
  assert_string_equal(wg_diag_list_first_error(d),
                      "too many arguments: `func(a: u32, b: "
                      "option<string>)` takes 2");
  assert_int_equal(args[0].kind, WG_CVAL_BOOL); /* freed on error */
  wg_diag_list_delete(d);
  d = wg_diag_list_new();
  assert_int_equal(wg_cval_parse_wave_args(WG_STR("1, 2"), two, NULL, args, d),
                   WG_ERR_MALFORMED);
  assert_string_equal(wg_diag_list_first_error(d),
                      "expected `(` before the arguments, found `1`");
  wg_diag_list_delete(d);
}

/* Variables: `$name` resolved by the caller. */
static const WgCVal *lookup(void *env, WgStr name) {
  return wg_str_eq(name, WG_STR("h")) ? (const WgCVal *)env : NULL;
}

static void wave_variables(void **state) {
  (void)state;
  /* a handle the host holds (its type pointer only needs to be non-NULL
   * for the reader; calls check it against the function) */
  WgCVal own = wg_cval_resource(WG_CVAL_OWN, (WgCResourceType *)&own, 7);
  WgCValReadOptions o = { .lookup = lookup, .env = &own };
  WgDiagList *d = wg_diag_list_new();
  WgCVal v;
  assert_int_equal(wg_cval_parse_wave(WG_STR("$h"), ty("own"), &o, &v, d),
                   WG_OK);
  assert_int_equal(v.kind, WG_CVAL_OWN);
  assert_int_equal(v.of.res.rep, 7);
  /* an own passed where a borrow is expected lends it */
  assert_int_equal(wg_cval_parse_wave(WG_STR("$h"), ty("borrow"), &o, &v, d),
                   WG_OK);
  assert_int_equal(v.kind, WG_CVAL_BORROW);
  assert_int_equal(wg_cval_parse_wave(WG_STR("$g"), ty("own"), &o, &v, d),
                   WG_ERR_INVALID);
  assert_string_equal(wg_diag_list_first_error(d), "unknown variable `$g`");
  wg_diag_list_delete(d);
  d = wg_diag_list_new();
  assert_int_equal(wg_cval_parse_wave(WG_STR("$h"), ty("u32"), &o, &v, d),
                   WG_ERR_INVALID);
  assert_string_equal(wg_diag_list_first_error(d),
                      "`$h` is not a value of `u32`: expected u32, found own");
  wg_diag_list_delete(d);
  assert_string_equal(wave("own", "7"),
                      "error invalid @1: expected `own<r>`, found the number "
                      "`7`: a resource handle has no WAVE syntax; pass a "
                      "variable (`$name`) bound to one");
  assert_string_equal(wave("u32", "$h"),
                      "error invalid @1: `$h`: no variables here");
}

static void wave_depth_is_bounded(void **state) {
  (void)state;
  /* a type 600 lists deep (built by hand: no component has one) */
  enum { N = 600 };
  static WgCValTy chain[N + 1];
  static const WgCValTy *elem[N];
  chain[N].kind = WG_CT_PRIM;
  chain[N].prim = WG_CPRIM_U8;
  for (int i = N - 1; i >= 0; i--) {
    chain[i].kind = WG_CT_LIST;
    elem[i] = &chain[i + 1];
    chain[i].elems = &elem[i];
  }
  static char text[2 * N + 2];
  memset(text, '[', N);
  memset(text + N, ']', N);
  WgDiagList *d = wg_diag_list_new();
  WgCVal v;
  assert_int_equal(
      wg_cval_parse_wave(wg_str_from_cstr(text), &chain[0], NULL, &v, d),
      WG_ERR_LIMIT);
  assert_string_equal(wg_diag_list_first_error(d),
                      "value nested deeper than 500 levels");
  wg_diag_list_delete(d);
  /* 400 levels are fine */
  memset(text, 0, sizeof text);
  memset(text, '[', 400);
  memset(text + 400, ']', 400);
  assert_int_equal(
      wg_cval_parse_wave(wg_str_from_cstr(text), &chain[200], NULL, &v, NULL),
      WG_OK);
  wg_cval_free(&v);
}

/* Malformed and mistyped input of every kind: a located error, no crash,
 * nothing leaked (the asan preset runs this too). */
static void wave_malformed_inputs_fail_cleanly(void **state) {
  (void)state;
  static const struct {
    const char *type, *text;
  } bad[] = {
    { "list", "[" },
    { "list", "]" },
    { "list", "[1," },
    { "list", "[[1]]" },
    { "tuple", "(" },
    { "tuple", "(1," },
    { "tuple", ")" },
    { "rec", "{" },
    { "rec", "{x:" },
    { "rec", "{x: 1," },
    { "rec", "{:" },
    { "rec", "{,}" },
    { "var", "square(" },
    { "var", "square({x: 1, y: 2}" },
    { "var", "%" },
    { "var", "(" },
    { "flags", "{read" },
    { "flags", "{read write}" },
    { "flags", "{1}" },
    { "string", "\"\\u{" },
    { "string", "\"\\u{}\"" },
    { "string", "\"\\" },
    { "string", "\"\"\"" },
    { "string", "\"\"\"\n" },
    { "char", "'" },
    { "char", "''" },
    { "char", "'a" },
    { "opt", "some(" },
    { "opt", "some" },
    { "res", "err(" },
    { "res", "ok(1" },
    { "f64", "-" },
    { "f64", "1e" },
    { "f64", "--1" },
    { "s32", "-" },
    { "u8", "1_0" },
    { "nested", "[[[256]]]" },
    { "nested", "[[1]]" },
    { "optopt", "some(some(" },
    { "rec", "{x: 1, y: 2, label: some(1)}" },
    { "u32", "/" },
    { "u32", "// only a comment" },
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    const char *r = wave(bad[i].type, bad[i].text);
    if (strncmp(r, "error ", 6) != 0)
      fail_msg("%s `%s` was read as %s", bad[i].type, bad[i].text, r);
    if (strstr(r, "@0:"))
      fail_msg("%s `%s`: not located: %s", bad[i].type, bad[i].text, r);
  }
  /* every prefix of a valid text fails cleanly too */
  const char *full =
      "[{x: 1, y: -2, label: some(\"a\\u{41}\\n\")}, {x: 3, y: 4}]";
  WgCValTy list = { 0 };
  const WgCValTy *elem = ty("rec");
  list.kind = WG_CT_LIST;
  list.elems = &elem;
  for (size_t n = 0; n < strlen(full); n++) {
    WgCVal v;
    WgStatus st = wg_cval_parse_wave((WgStr){ full, n }, &list, NULL, &v, NULL);
    assert_int_not_equal(st, WG_OK);
  }
  WgCVal v;
  assert_int_equal(
      wg_cval_parse_wave(wg_str_from_cstr(full), &list, NULL, &v, NULL), WG_OK);
  wg_cval_free(&v);
}

static void wast_forms(void **state) {
  (void)state;
  assert_string_equal(wast("bool", "(bool.const true)"), "true");
  assert_string_equal(wast("u32", "(u32.const 0xff)"), "255");
  assert_string_equal(wast("u32", "(u32.const 1_000)"), "1000");
  assert_string_equal(wast("s8", "(s8.const 0xff)"), "-1");
  assert_string_equal(wast("s8", "(s8.const -128)"), "-128");
  assert_string_equal(wast("u16", "(u16.const 0xffff)"), "65535");
  assert_string_equal(wast("u64", "(u64.const 18446744073709551615)"),
                      "18446744073709551615");
  assert_string_equal(wast("f32", "(f32.const 5)"), "5");
  assert_string_equal(wast("f64", "(f64.const -0x1p3)"), "-8");
  assert_string_equal(wast("f64", "(f64.const nan)"), "nan");
  assert_string_equal(wast("f32", "(f32.const nan:0x200000)"), "nan");
  assert_string_equal(wast("char", "(char.const \"\xe2\x9b\xb3\")"),
                      "'\xe2\x9b\xb3'");
  assert_string_equal(wast("string", "(str.const \"\\41\\u{42}\\n\")"),
                      "\"AB\\n\"");
  assert_string_equal(
      wast("list", "(list.const (u32.const 1) ;; one\n (u32.const 2))"),
      "[1, 2]");
  assert_string_equal(wast("tuple", "(tuple.const (u8.const 1) (str.const "
                                    "\"a\"))"),
                      "(1, \"a\")");
  assert_string_equal(wast("rec", "(record.const (field \"x\" s32.const 1) "
                                  "(field \"y\" (s32.const -2)))"),
                      "{x: 1, y: -2, label: none}");
  assert_string_equal(wast("var", "(variant.const \"circle\" (f64.const "
                                  "1.5))"),
                      "circle(1.5)");
  assert_string_equal(wast("var", "(variant.const \"empty\")"), "empty");
  assert_string_equal(wast("enum", "(enum.const \"none\")"), "none");
  assert_string_equal(wast("opt", "(option.none)"), "none");
  assert_string_equal(wast("opt", "(option.some (u32.const 5))"), "some(5)");
  assert_string_equal(wast("res", "(result.err (str.const \"x\"))"),
                      "err(\"x\")");
  assert_string_equal(wast("res-empty", "(result.ok)"), "ok");
  assert_string_equal(wast("flags", "(flags.const \"read\" \"exec\")"),
                      "{read, exec}");
  assert_string_equal(wast("flags", "(flags.const)"), "{}");
  assert_string_equal(wast("u32", " (; block (; nested ;) ;) (u32.const 1)"),
                      "1");
  /* the form must fit the type */
  assert_string_equal(wast("u32", "(s32.const 1)"),
                      "error invalid @2: expected `u32`, found `s32.const`");
  assert_string_equal(wast("u8", "(u8.const 256)"),
                      "error invalid @11: 256 is out of range for u8");
  assert_string_equal(wast("var", "(variant.const \"circle\")"),
                      "error invalid @16: case \"circle\" needs a payload");
  assert_string_equal(wast("rec", "(record.const (field \"x\" s32.const 1))"),
                      "error invalid @2: missing field `y` (s32)");
  assert_string_equal(wast("u32", "(u32.const 1"),
                      "error malformed @13: expected `)` after a value, found "
                      "the end of the text");
  assert_string_equal(wast("string", "(str.const \"\\ff\")"),
                      "error malformed @12: malformed UTF-8 encoding (byte 0 "
                      "of the value)");
  assert_string_equal(wast("u32", "(; open"),
                      "error malformed @1: unterminated block comment");
  static const struct {
    const char *type, *text;
  } bad[] = {
    { "u32", "(" },
    { "u32", "()" },
    { "u32", "u32.const 1" },
    { "list", "(list.const (u32.const 1)" },
    { "rec", "(record.const (field \"x\"" },
    { "rec", "(record.const (field x (s32.const 1)))" },
    { "rec", "(record.const (x \"x\" (s32.const 1)))" },
    { "var", "(variant.const circle)" },
    { "flags", "(flags.const \"nope\")" },
    { "tuple", "(tuple.const (u8.const 1))" },
    { "char", "(char.const \"ab\")" },
    { "opt", "(option.some)" },
    { "bool", "(bool.const yes)" },
    { "f64", "(f64.const 1.2.3)" },
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    const char *r = wast(bad[i].type, bad[i].text);
    if (strncmp(r, "error ", 6) != 0)
      fail_msg("%s `%s` was read as %s", bad[i].type, bad[i].text, r);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(wave_scalars),
    cmocka_unit_test(wave_chars_and_strings),
    cmocka_unit_test(wave_lists_tuples_records),
    cmocka_unit_test(wave_cases_and_flags),
    cmocka_unit_test(wave_rest_of_text),
    cmocka_unit_test(wave_call_arguments),
    cmocka_unit_test(wave_variables),
    cmocka_unit_test(wave_depth_is_bounded),
    cmocka_unit_test(wave_malformed_inputs_fail_cleanly),
    cmocka_unit_test(wast_forms),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
