/* SPDX-License-Identifier: Apache-2.0 */
/* Component types back to WIT text (parser/src/wit_decode.c) on hand-made
 * binaries: a WIT package binary, a component's own imports and exports,
 * a core module's component-type section, an interface made by
 * instantiating a nested component, and malformed inputs. */
#include "cmocka_all.h"
#include <stdio.h>

#include "witgen/wit.h"
#include <stdlib.h>
#include <string.h>


/* (component
 *   (type (component (export "e:e/e" (instance))))
 *   (export "e" (type 0))) */
static const uint8_t PACKAGE[] = {
  0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x07,
  0x10, 0x01, 0x41, 0x02, 0x01, 0x42, 0x00,      /* type: component, 2 decls: */
  0x04, 0x01, 0x05, 'e',  ':',  'e',  '/',  'e', /* export "e:e/e" */
  0x05, 0x00,                                    /* (instance (type 0)) */
  0x0b, 0x07, 0x01, 0x00, 0x01, 'e',  0x03, 0x00, 0x00, /* export "e" type 0 */
};

/* (component
 *   (type (func (param "a" u32) (result string)))
 *   (import "f" (func (type 0)))) */
static const uint8_t COMPONENT[] = {
  0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x07,
  0x08, 0x01, 0x40, 0x01, 0x01, 'a',  0x79, 0x00, 0x73, /* func type */
  0x0a, 0x06, 0x01, 0x00, 0x01, 'f',  0x01, 0x00,       /* import f */
};

/* (component
 *   (type (resource (rep i32)))
 *   (component (import "t" (type (sub resource))) (export "x" (type 0)))
 *   (instance (instantiate 0 (with "t" (type 0))))
 *   (export "a:b/c" (instance 0)))
 * as wit-component makes exported interfaces with resources. */
static const uint8_t NESTED[] = {
  0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x07, 0x04,
  0x01, 0x3f, 0x7f, 0x00, /* resource */
  0x04, 0x19,             /* component: */
  0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x0a, 0x06,
  0x01, 0x00, 0x01, 't',  0x03, 0x01,                         /* import t */
  0x0b, 0x07, 0x01, 0x00, 0x01, 'x',  0x03, 0x00, 0x00,       /* export x */
  0x05, 0x08, 0x01, 0x00, 0x00, 0x01, 0x01, 't',  0x03, 0x00, /* inst */
  0x0b, 0x0b, 0x01, 0x00, 0x05, 'a',  ':',  'b',  '/',  'c',
  0x05, 0x00, 0x00, /* export a:b/c (instance 0) */
};

/* wg_wit_decode() of one binary; on failure its first message in err. */
static char *decode(const uint8_t *b, size_t n, char err[256]) {
  WgDiagList *diags = wg_diag_list_new();
  char *text = NULL;
  err[0] = '\0';
  if (wg_wit_decode(&b, &n, 1, diags, &text) != WG_OK) {
    assert_null(text);
    snprintf(err, 256, "%s", wg_diag_list_first_error(diags));
  }
  wg_diag_list_delete(diags);
  return text;
}

static void package_binary_becomes_an_interface(void **state) {
  (void)state;
  char err[256];
  char *t = decode(PACKAGE, sizeof PACKAGE, err);
  assert_non_null(t);
  assert_non_null(strstr(t, "package e:e;"));
  assert_non_null(strstr(t, "interface e {"));
  free(t);
}

static void component_imports_form_the_root_world(void **state) {
  (void)state;
  char err[256];
  char *t = decode(COMPONENT, sizeof COMPONENT, err);
  assert_non_null(t);
  assert_non_null(strstr(t, "package root:component;"));
  assert_non_null(strstr(t, "world root {"));
  assert_non_null(strstr(t, "import f: func(a: u32) -> string;"));
  free(t);
}

static void core_module_section_is_read(void **state) {
  (void)state;
  /* a core module whose only section is `component-type:w` = PACKAGE */
  uint8_t mod[8 + 2 + 17 + sizeof PACKAGE];
  static const uint8_t head[] = { 0, 'a', 's', 'm', 1, 0, 0, 0 };
  memcpy(mod, head, 8);
  mod[8] = 0;
  mod[9] = (uint8_t)(1 + 16 + sizeof PACKAGE);
  mod[10] = 16;
  memcpy(mod + 11, "component-type:w", 16);
  memcpy(mod + 27, PACKAGE, sizeof PACKAGE);
  char err[256];
  char *t = decode(mod, sizeof mod, err);
  assert_non_null(t);
  assert_non_null(strstr(t, "interface e {"));
  free(t);
}

static void nested_component_instance_is_an_interface(void **state) {
  (void)state;
  char err[256];
  char *t = decode(NESTED, sizeof NESTED, err);
  assert_non_null(t);
  assert_non_null(strstr(t, "export a:b/c;"));
  assert_non_null(strstr(t, "interface c {"));
  assert_non_null(strstr(t, "resource x;"));
  free(t);
  /* the argument renamed: the import is left unbound */
  uint8_t bad[sizeof NESTED];
  memcpy(bad, NESTED, sizeof bad);
  bad[48] = 'u';
  assert_null(decode(bad, sizeof bad, err));
  assert_non_null(strstr(err, "missing import named `t`"));
  /* an instance of a component that does not exist */
  memcpy(bad, NESTED, sizeof bad);
  bad[45] = 0x01;
  assert_null(decode(bad, sizeof bad, err));
  assert_non_null(strstr(err, "unknown component 1"));
}

static void malformed_inputs_are_refused(void **state) {
  (void)state;
  char err[256];
  assert_null(decode((const uint8_t *)"package a:b;", 12, err));
  assert_non_null(strstr(err, "not a WebAssembly binary"));
  /* every cut inside a section is an error (8 and 26 end sections: the
   * component is then merely shorter) */
  for (size_t n = 9; n < sizeof PACKAGE; n++) {
    if (n == 26) continue;
    char *t = decode(PACKAGE, n, err);
    assert_null(t);
    assert_true(err[0] != '\0');
  }
  static const uint8_t empty[] = { 0, 'a', 's', 'm', 1, 0, 0, 0 };
  assert_null(decode(empty, sizeof empty, err));
  assert_non_null(strstr(err, "no `component-type` custom section"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(package_binary_becomes_an_interface),
    cmocka_unit_test(component_imports_form_the_root_world),
    cmocka_unit_test(core_module_section_is_read),
    cmocka_unit_test(nested_component_instance_is_an_interface),
    cmocka_unit_test(malformed_inputs_are_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
