/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the host bindings generator (wg_hostgen_generate(),
 * codegen/src/host_*.c; docs/host-bindings.md): the files and names it
 * gives, the handle types of resources on each side, the WIT signatures it
 * writes for the runtime's link-time checks (resources by the name their
 * interface uses, maps, fixed lists, results), handle positions, names
 * that clash in a table, and its errors (async functions and streams
 * refused with the WIT path of the item, a bad --rename). That the
 * generated code compiles and links is checked by
 * e2e_host_bindings_worlds, that it runs by e2e_roundtrip_typed and
 * e2e_hostile_typed. */
#include "cmocka_all.h"

#include <stdio.h>
#include <string.h>

#include "witgen/codegen.h"
#include "witgen/wit.h"

typedef struct Run {
  WgStatus status;
  WgBindgenFiles files;
  WgDiagList *diags;
} Run;

static Run generate(const char *src, const WgBindgenOptions *opt) {
  Run run = { 0 };
  WgDiagList *load = wg_diag_list_new();
  WgWitResolve *r = NULL;
  WgStatus st =
      wg_wit_load_source("t.wit", wg_str_from_cstr(src), NULL, load, &r);
  if (st != WG_OK) wg_diag_list_print(load, stderr);
  assert_int_equal(st, WG_OK);
  wg_diag_list_delete(load);
  run.diags = wg_diag_list_new();
  WgWitId world = r->packages.items[r->main_package].worlds.items[0].id;
  run.status = wg_hostgen_generate(r, world, opt, &run.files, run.diags);
  wg_wit_resolve_free(r);
  return run;
}

static void run_free(Run *run) {
  wg_bindgen_files_free(&run->files);
  wg_diag_list_delete(run->diags);
}

static void has(const char *text, const char *want) {
  if (!strstr(text, want)) fail_msg("missing: %s", want);
}

static void assert_refused(Run *run, WgStatus code, const char *message,
                           const char *wit_path) {
  assert_int_equal(run->status, code);
  assert_null(run->files.header);
  assert_null(run->files.source);
  assert_int_equal(wg_diag_list_count(run->diags), 1);
  const WgDiag *d = wg_diag_list_get(run->diags, 0);
  assert_int_equal(d->code, code);
  assert_string_equal(d->message, message);
  if (wit_path)
    assert_string_equal(d->wit_path, wit_path);
  else
    assert_null(d->wit_path);
}

static const char HELLO[] =
    "package a:b@1.2.3;\n"
    "interface api {\n"
    "  resource counter { constructor(start: u32); bump: func() -> u32; }\n"
    "  greet: func(name: string) -> string;\n"
    "}\n"
    "interface log { resource sink { write: func(s: string); } "
    "open: func() -> sink; }\n"
    "world hello-world {\n"
    "  import log;\n"
    "  import now: func() -> u64;\n"
    "  export api;\n"
    "  export ping: func(n: u32) -> u32;\n"
    "}\n";

static void files_and_names(void **state) {
  (void)state;
  Run run = generate(HELLO, NULL);
  assert_int_equal(run.status, WG_OK);
  assert_int_equal(wg_diag_list_count(run.diags), 0);
  assert_string_equal(run.files.stem, "hello_world_host");
  const char *h = run.files.header, *c = run.files.source;
  has(h, "#include \"witgen/component.h\"");
  /* exports: the bound struct, a call per function */
  has(h, "typedef struct hello_world_t {");
  has(h, "WgStatus hello_world_instantiate(WgComponentLinker *linker");
  has(h, "WgTrap *hello_world_call_ping(hello_world_t *_self, uint32_t n, "
         "uint32_t *_ret);");
  has(h, "WgTrap *exports_b_api_call_greet(hello_world_t *_self, "
         "hello_world_string_t name, hello_world_string_t *_ret);");
  has(h, "WgTrap *exports_b_api_call_counter_new(");
  has(h, "WgTrap *exports_b_api_call_counter_bump(hello_world_t *_self, "
         "exports_b_api_borrow_counter_t self, uint32_t *_ret);");
  /* imports: a table per interface, the world's own functions */
  has(h, "typedef struct b_log_impl_t {");
  has(h, "WgTrap *(*sink_destructor)(void *ctx, b_log_sink_t self);");
  has(h, "WgTrap *(*sink_write)(void *ctx, WgCCall *call, "
         "b_log_borrow_sink_t self, hello_world_string_t s);");
  has(h, "WgTrap *(*open)(void *ctx, WgCCall *call, b_log_sink_t *ret);");
  has(h, "WgStatus b_log_add_to_linker(WgComponentLinker *linker, const "
         "b_log_impl_t *impl,");
  has(h, "  const b_log_impl_t *b_log; /* a:b/log@1.2.3 */\n");
  has(h, "  WgTrap *(*now)(void *ctx, WgCCall *call, uint64_t *ret);");
  has(h, "WgStatus hello_world_add_to_linker(WgComponentLinker *linker,");
  /* resources: the host's own (a representation), the component's (a host
   * handle), distinct own and borrow types */
  has(h, "typedef struct b_log_sink_t {\n  uint32_t rep;\n} b_log_sink_t;");
  has(h, "typedef struct b_log_borrow_sink_t {\n  uint32_t rep;\n}");
  has(h, "typedef struct exports_b_api_counter_t {\n  WgCResourceType "
         "*type;\n  uint32_t handle;\n  uint32_t gen;\n}");
  has(h, "WgTrap *exports_b_api_counter_drop(exports_b_api_counter_t "
         "handle);");
  /* names and signatures the runtime checks */
  has(c, "WG_STR(\"a:b/log@1.2.3#[method]sink.write\"),\n"
         "                   WG_STR(\"func(self: borrow<sink>, s: string)\")");
  has(c, "WG_STR(\"now\"),\n                   WG_STR(\"func() -> u64\")");
  has(c, "{ WG_STR(\"a:b/api@1.2.3#[constructor]counter\"),\n"
         "    WG_STR(\"func(start: u32) -> own<counter>\") }");
  has(c, "HgDefineRes(linker, WG_STR(\"a:b/log@1.2.3#sink\")");
  assert_null(run.files.stubs);
  run_free(&run);
  WgBindgenOptions opt = { NULL, 0, true };
  run = generate(HELLO, &opt);
  assert_int_equal(run.status, WG_OK);
  has(run.files.stubs, "const hello_world_imports_t hello_world_stub_imports "
                       "= {");
  has(run.files.stubs, "stub of `a:b/log@1.2.3#open` called");
  run_free(&run);
}

/* Signatures as the component's types say them: resources by the name
 * their interface knows them by, maps, fixed lists, results. */
static void signatures(void **state) {
  (void)state;
  Run run = generate(
      "package a:b;\n"
      "interface io { resource error { } }\n"
      "interface http {\n"
      "  use io.{error as io-error};\n"
      "  record r { m: map<string, u32>, f: list<u8, 4>, "
      "res: result<_, string>, e: result, o: option<tuple<s8, char>> }\n"
      "  check: func(err: borrow<io-error>, v: r) -> result<u64>;\n"
      "}\n"
      "world w { import http; }\n",
      NULL);
  assert_int_equal(run.status, WG_OK);
  has(run.files.source,
      "WG_STR(\"func(err: borrow<io-error>, v: record { m: map<string, u32>, "
      "f: list<u8, 4>, res: result<_, string>, e: result, o: "
      "option<tuple<s8, char>> }) -> result<u64>\")");
  run_free(&run);
}

/* Handle positions (component_abi.h): parameters in order, then the
 * result, each type once. */
static void handle_positions(void **state) {
  (void)state;
  Run run = generate("package a:b;\n"
                     "interface i {\n"
                     "  resource r { }\n"
                     "  f: func(a: r, b: list<borrow<r>>, c: u32) -> "
                     "option<r>;\n"
                     "}\n"
                     "world w { import i; }\n",
                     NULL);
  assert_int_equal(run.status, WG_OK);
  const char *c = run.files.source;
  has(c, "wg_cabi_lift_handle(cx, 0, (uint32_t)(args + 0)[0].of.i32, &_h)");
  has(c, "HgGet_w_list_b_i_borrow_r(cx, 1, ");
  has(c, "HgStore_w_option_b_i_r(cx, 2, r, _rp)"); /* through memory */
  run_free(&run);
}

/* Names clashing in a table get `_2`. */
static void clashing_members(void **state) {
  (void)state;
  Run run = generate("package a:b;\n"
                     "interface i {\n"
                     "  resource r { constructor(); }\n"
                     "  r-new: func();\n"
                     "}\n"
                     "world w { import i; }\n",
                     NULL);
  assert_int_equal(run.status, WG_OK);
  has(run.files.header, "  WgTrap *(*r_new)(void *ctx, WgCCall *call, "
                        "b_i_r_t *ret);");
  has(run.files.header, "  WgTrap *(*r_new_2)(void *ctx, WgCCall *call);");
  run_free(&run);
}

static void refusals(void **state) {
  (void)state;
  Run run = generate("package a:b;\n"
                     "world w { export f: async func(); }\n",
                     NULL);
  assert_refused(&run, WG_ERR_UNSUPPORTED,
                 "not supported yet: async function `f`", "f");
  run_free(&run);
  run = generate("package a:b;\n"
                 "interface i { f: func(s: stream<u8>); }\n"
                 "world w { import i; }\n",
                 NULL);
  assert_refused(&run, WG_ERR_UNSUPPORTED,
                 "not supported yet: stream in parameter of `f`", "a:b/i#f");
  run_free(&run);
  WgBindgenRename rn = { "a:b/i", "9bad" };
  WgBindgenOptions opt = { &rn, 1, false };
  run = generate("package a:b;\n"
                 "interface i { f: func(); }\n"
                 "world w { import i; }\n",
                 &opt);
  assert_refused(&run, WG_ERR_INVALID, "--rename: `9bad` is not a C identifier",
                 NULL);
  run_free(&run);
}

/* A world without imports or exports still gives compilable code. */
static void empty_world(void **state) {
  (void)state;
  Run run = generate("package a:b;\nworld w { }\n", NULL);
  assert_int_equal(run.status, WG_OK);
  has(run.files.header, "  bool nothing; /* the world imports nothing */");
  has(run.files.header, "WgComponentFunc *funcs[1];");
  has(run.files.source, "  (void)diags;\n  return st;");
  run_free(&run);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(files_and_names),  cmocka_unit_test(signatures),
    cmocka_unit_test(handle_positions), cmocka_unit_test(clashing_members),
    cmocka_unit_test(refusals),         cmocka_unit_test(empty_world),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
