/* SPDX-License-Identifier: Apache-2.0 */
/* One definition for every semver-compatible version (issue 15): host
 * bindings made from demo:kv@0.2.12 run a component built against
 * demo:kv@0.2.3. Its import `demo:kv/store@0.2.3` is met by the bindings'
 * definitions `demo:kv/store@0.2.12#...` (the runtime's semver rule, with
 * the WIT signatures checked at link time), and kv_bind() finds its export
 * `demo:kv/app@0.2.3#run` for the bindings' `demo:kv/app@0.2.12#run`.
 *   host_semver COMPONENT.wasm    (prints the value, exit 0 when right) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kv_host.h"

static kv_string_t stored_key, stored_value;
static int sets, gets;

static WgTrap *set(void *ctx, WgCCall *call, kv_string_t key,
                   kv_string_t value) {
  (void)ctx;
  WgStr name = wg_ccall_name(call); /* as the component imports it */
  if (!wg_str_eq(name, WG_STR("demo:kv/store@0.2.3#set")))
    return wg_trap_new("called under another name");
  kv_string_free(&stored_key);
  kv_string_free(&stored_value);
  stored_key = key; /* the arguments are ours */
  stored_value = value;
  sets++;
  return NULL;
}

static WgTrap *get(void *ctx, WgCCall *call, kv_string_t key,
                   kv_option_string_t *ret) {
  (void)ctx, (void)call;
  gets++;
  ret->is_some = key.len == stored_key.len &&
                 memcmp(key.ptr, stored_key.ptr, key.len) == 0;
  if (ret->is_some) { /* a copy: the result is given away */
    ret->val.ptr = malloc(stored_value.len);
    memcpy(ret->val.ptr, stored_value.ptr, stored_value.len);
    ret->val.len = stored_value.len;
  }
  kv_string_free(&key);
  return NULL;
}

static const kv_store_impl_t store = { .get = get, .set = set };
static const kv_imports_t imports = { .kv_store = &store };

int main(int argc, char **argv) {
  if (argc != 2) return 2;
  FILE *f = fopen(argv[1], "rb");
  if (!f) return 2;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *bytes = malloc(n > 0 ? (size_t)n : 1);
  if (!bytes || fread(bytes, 1, (size_t)n, f) != (size_t)n) return 2;
  fclose(f);
  WgEngine *engine = wg_engine_new(NULL);
  WgDiagList *diags = wg_diag_list_new();
  WgWasmComponent *comp;
  WgComponentLinker *linker = wg_component_linker_new(engine, NULL);
  WgStore *st = wg_store_new(engine);
  kv_t kv;
  int rc = 1;
  if (wg_wasm_component_load(engine, bytes, (size_t)n, &comp, diags) != WG_OK ||
      kv_add_to_linker(linker, &imports, NULL, diags) != WG_OK ||
      kv_instantiate(linker, st, comp, &kv, diags) != WG_OK) {
    wg_diag_list_print(diags, stderr);
    return 1;
  }
  free(bytes);
  kv_string_t key, out;
  kv_string_set(&key, "k1");
  WgTrap *t = exports_kv_app_call_run(&kv, key, &out);
  if (t) {
    printf("trapped: %s\n", wg_trap_message(t));
    wg_trap_delete(t);
  } else {
    printf("run(\"k1\") = \"%.*s\" (%d set, %d get)\n", (int)out.len,
           (char *)out.ptr, sets, gets);
    rc = out.len == 4 && memcmp(out.ptr, "v:k1", 4) == 0 && sets == 1 &&
                 gets == 1
             ? 0
             : 1;
    kv_string_free(&out);
  }
  kv_string_free(&stored_key);
  kv_string_free(&stored_value);
  wg_store_delete(st);
  wg_component_linker_delete(linker);
  wg_wasm_component_delete(comp);
  wg_engine_delete(engine);
  wg_diag_list_delete(diags);
  return rc;
}
