/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the guest bindings generator's entry point
 * (wg_bindgen_generate(), codegen/src/guest_emit.c): the files it returns,
 * and its errors, reported through a WgDiagList with a status code and the
 * WIT path of the item at fault (docs/bindings.md, "Not supported yet"). */
#include "cmocka_all.h"

#include <string.h>

#include "witgen/codegen.h"
#include "witgen/wit.h"

typedef struct Run {
  WgStatus status;
  WgBindgenFiles files;
  WgDiagList *diags;
} Run;

/* Generates the bindings of the only world of `src`. */
static Run generate(const char *src, const WgBindgenOptions *opt) {
  Run run = { 0 };
  WgDiagList *load = wg_diag_list_new();
  WgWitResolve *r = NULL;
  assert_int_equal(
      wg_wit_load_source("t.wit", wg_str_from_cstr(src), NULL, load, &r),
      WG_OK);
  wg_diag_list_delete(load);
  run.diags = wg_diag_list_new();
  WgWitId world = r->packages.items[r->main_package].worlds.items[0].id;
  run.status = wg_bindgen_generate(r, world, opt, &run.files, run.diags);
  wg_wit_resolve_free(r);
  return run;
}

static void run_free(Run *run) {
  wg_bindgen_files_free(&run->files);
  wg_diag_list_delete(run->diags);
}

/* The one error of a failed run: its code, message and WIT path. */
static void assert_refused(Run *run, WgStatus code, const char *message,
                           const char *wit_path) {
  assert_int_equal(run->status, code);
  assert_null(run->files.stem);
  assert_null(run->files.header);
  assert_null(run->files.source);
  assert_null(run->files.stubs);
  assert_int_equal(wg_diag_list_count(run->diags), 1);
  const WgDiag *d = wg_diag_list_get(run->diags, 0);
  assert_int_equal(d->severity, WG_SEVERITY_ERROR);
  assert_int_equal(d->code, code);
  assert_string_equal(d->message, message);
  if (wit_path)
    assert_string_equal(d->wit_path, wit_path);
  else
    assert_null(d->wit_path);
}

static void files_and_no_diagnostics(void **state) {
  (void)state;
  Run run = generate("package a:b;\n"
                     "interface api { greet: func(name: string) -> string; }\n"
                     "world hello-world { export api; }\n",
                     NULL);
  assert_int_equal(run.status, WG_OK);
  assert_int_equal(wg_diag_list_count(run.diags), 0);
  assert_string_equal(run.files.stem, "hello_world");
  assert_non_null(strstr(run.files.header, "exports_b_api_greet("));
  assert_non_null(strstr(run.files.source, "cabi_realloc"));
  assert_null(run.files.stubs); /* not asked for */
  run_free(&run);
  WgBindgenOptions opt = { NULL, 0, true };
  run = generate("package a:b;\n"
                 "interface api { greet: func(name: string) -> string; }\n"
                 "world hello-world { export api; }\n",
                 &opt);
  assert_int_equal(run.status, WG_OK);
  assert_non_null(strstr(run.files.stubs, "exports_b_api_greet("));
  run_free(&run);
}

static void async_function_is_refused_by_path(void **state) {
  (void)state;
  Run run = generate("package a:b@1.0.0;\n"
                     "interface api { f: async func(); }\n"
                     "world w { import api; }\n",
                     NULL);
  assert_refused(&run, WG_ERR_UNSUPPORTED,
                 "not supported yet: async function `f`", "a:b/api@1.0.0#f");
  run_free(&run);
  /* A function of the world itself: its plain name. */
  run = generate("package a:b;\nworld w { import f: async func(); }\n", NULL);
  assert_refused(&run, WG_ERR_UNSUPPORTED,
                 "not supported yet: async function `f`", "f");
  run_free(&run);
}

static void stream_and_future_are_refused_by_path(void **state) {
  (void)state;
  Run run = generate("package a:b;\n"
                     "interface api { g: func(s: stream<u8>); }\n"
                     "world w { export api; }\n",
                     NULL);
  assert_refused(&run, WG_ERR_UNSUPPORTED,
                 "not supported yet: stream in parameter of `g`", "a:b/api#g");
  run_free(&run);
  run = generate("package a:b;\n"
                 "interface api { h: func() -> future<u32>; }\n"
                 "world w { import api; }\n",
                 NULL);
  assert_refused(&run, WG_ERR_UNSUPPORTED,
                 "not supported yet: future in result of `h`", "a:b/api#h");
  run_free(&run);
  /* In a type definition: the type's path. */
  run = generate("package a:b;\n"
                 "interface api { type bytes = stream<u8>; }\n"
                 "world w { import api; }\n",
                 NULL);
  assert_refused(&run, WG_ERR_UNSUPPORTED, "not supported yet: stream",
                 "a:b/api#bytes");
  run_free(&run);
}

static void bad_rename_is_invalid(void **state) {
  (void)state;
  WgBindgenRename rn[1] = { { "b_api", "not-an-identifier" } };
  WgBindgenOptions opt = { rn, 1, false };
  Run run = generate("package a:b;\n"
                     "interface api { f: func(); }\n"
                     "world w { import api; }\n",
                     &opt);
  assert_refused(&run, WG_ERR_INVALID,
                 "--rename: `not-an-identifier` is not a C identifier", NULL);
  run_free(&run);
}

/* A --rename OLD that names nothing is an error (not silently ignored),
 * with a note listing every name OLD may take. */
static void unknown_rename_names_the_choices(void **state) {
  (void)state;
  WgBindgenRename rn[2] = { { "b_api", "fine" }, { "nope", "x" } };
  WgBindgenOptions opt = { rn, 2, false };
  Run run = generate("package a:b@1.0.0;\n"
                     "interface api { f: func(); }\n"
                     "world w { import api; import extra: api; }\n",
                     &opt);
  assert_int_equal(run.status, WG_ERR_INVALID);
  assert_null(run.files.header);
  assert_int_equal(wg_diag_list_count(run.diags), 2);
  assert_string_equal(wg_diag_list_get(run.diags, 0)->message,
                      "--rename nope=x: world `w` has no interface, import or "
                      "world named `nope`");
  const WgDiag *note = wg_diag_list_get(run.diags, 1);
  assert_int_equal(note->severity, WG_SEVERITY_NOTE);
  assert_non_null(strstr(note->message, "`w` (the world), `a:b/api@1.0.0` "
                                        "(`b_api`), `extra` (`extra`)"));
  run_free(&run);
  /* each name the note offers is taken */
  const char *olds[] = { "w", "a:b/api@1.0.0", "a:b/api", "b_api", "extra" };
  for (size_t i = 0; i < sizeof olds / sizeof *olds; i++) {
    WgBindgenRename one = { olds[i], "zz" };
    WgBindgenOptions o = { &one, 1, false };
    run = generate("package a:b@1.0.0;\n"
                   "interface api { f: func(); }\n"
                   "world w { import api; import extra: api; }\n",
                   &o);
    assert_int_equal(run.status, WG_OK);
    assert_non_null(strstr(run.files.header, "zz_"));
    run_free(&run);
  }
}

static void diagnostics_are_optional(void **state) {
  (void)state;
  WgDiagList *load = wg_diag_list_new();
  WgWitResolve *r = NULL;
  assert_int_equal(wg_wit_load_source("t.wit",
                                      WG_STR("package a:b;\n"
                                             "world w { import f: async "
                                             "func(); }\n"),
                                      NULL, load, &r),
                   WG_OK);
  WgBindgenFiles files;
  WgWitId world = r->packages.items[r->main_package].worlds.items[0].id;
  assert_int_equal(wg_bindgen_generate(r, world, NULL, &files, NULL),
                   WG_ERR_UNSUPPORTED);
  assert_null(files.header);
  wg_bindgen_files_free(&files); /* zeroed: nothing to free */
  wg_bindgen_files_free(NULL);
  wg_wit_resolve_free(r);
  wg_diag_list_delete(load);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(files_and_no_diagnostics),
    cmocka_unit_test(async_function_is_refused_by_path),
    cmocka_unit_test(stream_and_future_are_refused_by_path),
    cmocka_unit_test(bad_rename_is_invalid),
    cmocka_unit_test(unknown_rename_names_the_choices),
    cmocka_unit_test(diagnostics_are_optional),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
