/* SPDX-License-Identifier: Apache-2.0 */
/* Typed against dynamic host calls (issue 15, must-show 3): the exports of
 * bench/host/bench.wit (a C guest on witgen's guest bindings, made a
 * component by `witgen new`) called from C in one run, through the typed
 * host bindings `witgen --host` generates (hostbench_host.h: C values,
 * lifting and lowering made per type) and through the dynamic API of
 * witgen/component.h (WgCVal values, checked and converted by the
 * runtime's generic code). Same component, same instance, same store.
 *
 * For each case: the best of 7 runs of N calls, in ns (or ms) per call,
 * and the speedup; and the same work done by calling the guest's core
 * functions directly (the floor: what the guest's own code costs), so the
 * host's part of each path shows too. Both paths copy what they get:
 * the typed result into host memory the caller frees, the dynamic one
 * into the instance's scratch memory. Results are checked to be the same
 * both ways.
 *
 *   host_bench COMPONENT.wasm --core CORE.wasm [--quick] [--only "ROW"]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"

#include "hostbench_host.h"

static hostbench_t typed;
static WgComponentFunc *dyn_echo, *dyn_rec, *dyn_sum, *dyn_nop;
static int errors;


static void check(bool ok, const char *what) {
  if (!ok) {
    fprintf(stderr, "host_bench: %s\n", what);
    errors++;
  }
}

static void trap(WgTrap *t, const char *what) {
  if (!t) return;
  fprintf(stderr, "host_bench: %s trapped: %s\n", what, wg_trap_message(t));
  wg_trap_delete(t);
  exit(1);
}

/* Section: the cases, one call each way */

static hostbench_string_t echo_arg;
static WgCVal echo_cval;

static void typed_echo(void) {
  hostbench_string_t r;
  trap(exports_bench_api_call_echo(&typed, echo_arg, &r), "echo");
  check(r.len == echo_arg.len, "typed echo length");
  hostbench_string_free(&r);
}

static void dyn_echo_call(void) {
  WgCVal r;
  trap(wg_component_func_call(dyn_echo, &echo_cval, 1, &r, 1), "echo");
  check(r.of.str.len == echo_arg.len, "dynamic echo length");
}

static exports_bench_api_rec8_t rec_arg;
static WgCVal rec_fields[8], rec_cval;

static void typed_rec(void) {
  exports_bench_api_rec8_t r;
  trap(exports_bench_api_call_echo_rec(&typed, rec_arg, &r), "echo-rec");
  check(r.id == rec_arg.id && r.name.len == rec_arg.name.len, "typed record");
  exports_bench_api_rec8_free(&r);
}

static void dyn_rec_call(void) {
  WgCVal r;
  trap(wg_component_func_call(dyn_rec, &rec_cval, 1, &r, 1), "echo-rec");
  check(r.of.seq.count == 8 && r.of.seq.items[0].of.u == rec_arg.id,
        "dynamic record");
}

static exports_bench_api_pose_t pose_arg;
static WgCVal pose_fields[8], pose_cval;

static void typed_pose(void) {
  exports_bench_api_pose_t r;
  trap(exports_bench_api_call_echo_pose(&typed, pose_arg, &r), "echo-pose");
  check(r.frame == pose_arg.frame && r.x == pose_arg.x, "typed pose");
}

static WgComponentFunc *dyn_pose;

static void dyn_pose_call(void) {
  WgCVal r;
  trap(wg_component_func_call(dyn_pose, &pose_cval, 1, &r, 1), "echo-pose");
  check(r.of.seq.count == 8 && r.of.seq.items[4].of.u == pose_arg.frame,
        "dynamic pose");
}

static hostbench_list_f64_t list_arg;
static WgCVal list_cval;
static double list_sum;

static void typed_sum(void) {
  double s;
  trap(exports_bench_api_call_sum(&typed, list_arg, &s), "sum");
  check(s == list_sum, "typed sum");
}

static void dyn_sum_call(void) {
  WgCVal r;
  trap(wg_component_func_call(dyn_sum, &list_cval, 1, &r, 1), "sum");
  check(r.of.f64 == list_sum, "dynamic sum");
}

static void typed_nop(void) {
  trap(exports_bench_api_call_nop(&typed), "nop");
}

static void dyn_nop_call(void) {
  trap(wg_component_func_call(dyn_nop, NULL, 0, NULL, 0), "nop");
}

/* Section: the floor: the same work done by calling the guest's core
 * functions directly (wasm.h: realloc, the export, post-return, with the
 * bytes written into memory by hand and nothing checked or copied out),
 * in a store of its own. What any host binding pays for the guest's part;
 * the difference to it is the host's part. */

static WgStore *core_store;
static WgInstance *core;
static WgMemInst *core_mem;
static WgFuncInst *c_realloc, *c_nop, *c_echo, *c_echo_post, *c_rec,
    *c_rec_post, *c_pose, *c_sum;

static WgFuncInst *core_func(const char *name) {
  WgExtern e;
  if (!wg_instance_export(core, wg_str_from_cstr(name), &e) ||
      e.kind != WG_WASM_EXTERN_FUNC) {
    fprintf(stderr, "host_bench: core export %s missing\n", name);
    exit(1);
  }
  return e.of.func;
}

static uint32_t core_alloc(uint32_t align, uint32_t size) {
  WgVal a[4] = { wg_val_i32(0), wg_val_i32(0), wg_val_i32((int32_t)align),
                 wg_val_i32((int32_t)size) },
        r;
  trap(wg_func_call(core_store, c_realloc, a, 4, &r, 1), "core realloc");
  return (uint32_t)r.of.i32;
}

static void floor_nop(void) {
  trap(wg_func_call(core_store, c_nop, NULL, 0, NULL, 0), "core nop");
}

static void floor_echo(void) {
  uint32_t p = core_alloc(1, (uint32_t)echo_arg.len);
  memcpy(wg_memory_data(core_mem) + p, echo_arg.ptr, echo_arg.len);
  WgVal a[2] = { wg_val_i32((int32_t)p), wg_val_i32((int32_t)echo_arg.len) }, r;
  trap(wg_func_call(core_store, c_echo, a, 2, &r, 1), "core echo");
  trap(wg_func_call(core_store, c_echo_post, &r, 1, NULL, 0), "core post");
}

static void floor_rec(void) {
  uint32_t p = core_alloc(1, (uint32_t)rec_arg.name.len);
  memcpy(wg_memory_data(core_mem) + p, rec_arg.name.ptr, rec_arg.name.len);
  WgVal a[9] = { wg_val_i32((int32_t)rec_arg.id),
                 wg_val_i64(rec_arg.count),
                 wg_val_f64(rec_arg.ratio),
                 wg_val_f32(rec_arg.scale),
                 wg_val_i32(rec_arg.active),
                 wg_val_i32(rec_arg.level),
                 wg_val_i32((int32_t)p),
                 wg_val_i32((int32_t)rec_arg.name.len),
                 wg_val_i32(rec_arg.delta) },
        r;
  trap(wg_func_call(core_store, c_rec, a, 9, &r, 1), "core echo-rec");
  trap(wg_func_call(core_store, c_rec_post, &r, 1, NULL, 0), "core post");
}

static void floor_pose(void) {
  WgVal a[8] = { wg_val_f64(pose_arg.x),
                 wg_val_f64(pose_arg.y),
                 wg_val_f32(pose_arg.z),
                 wg_val_f32(pose_arg.yaw),
                 wg_val_i64((int64_t)pose_arg.frame),
                 wg_val_i32(pose_arg.sensor),
                 wg_val_i32(pose_arg.valid),
                 wg_val_i32(pose_arg.quality) },
        r;
  trap(wg_func_call(core_store, c_pose, a, 8, &r, 1), "core echo-pose");
}

static void floor_sum(void) {
  uint32_t bytes = (uint32_t)(list_arg.len * 8);
  uint32_t p = core_alloc(8, bytes);
  memcpy(wg_memory_data(core_mem) + p, list_arg.ptr, bytes);
  WgVal a[2] = { wg_val_i32((int32_t)p), wg_val_i32((int32_t)list_arg.len) }, r;
  trap(wg_func_call(core_store, c_sum, a, 2, &r, 1), "core sum");
}

static bool load_core(WgEngine *engine, const char *path) {
  size_t len;
  uint8_t *bytes = bench_read_file(path, &len);
  WgWasmModule *m;
  if (!bytes || wg_wasm_module_load(engine, bytes, len, &m, NULL) != WG_OK)
    return false;
  free(bytes);
  core_store = wg_store_new(engine);
  if (wg_instance_new(core_store, m, NULL, 0, &core, NULL) != WG_OK)
    return false;
  wg_wasm_module_delete(m);
  WgExtern e;
  if (!wg_instance_export(core, WG_STR("memory"), &e)) return false;
  core_mem = e.of.memory;
  WgFuncInst *init = core_func("_initialize");
  trap(wg_func_call(core_store, init, NULL, 0, NULL, 0), "_initialize");
  c_realloc = core_func("cabi_realloc");
  c_nop = core_func("witgen:bench/api#nop");
  c_echo = core_func("witgen:bench/api#echo");
  c_echo_post = core_func("cabi_post_witgen:bench/api#echo");
  c_rec = core_func("witgen:bench/api#echo-rec");
  c_rec_post = core_func("cabi_post_witgen:bench/api#echo-rec");
  c_pose = core_func("witgen:bench/api#echo-pose");
  c_sum = core_func("witgen:bench/api#sum");
  return true;
}

/* Seconds per call of `fn` over `n` calls. */
static double time_once(void (*fn)(void), int n) {
  double t0 = bench_now();
  for (int i = 0; i < n; i++)
    fn();
  return (bench_now() - t0) / n;
}

static const char *only; /* --only NAME: one row (for profiling) */

static void row(const char *name, void (*flo)(void), void (*dyn)(void),
                void (*typ)(void), int n, bool ms) {
  if (only && strcmp(only, name) != 0) return;
  flo(); /* warm up: first calls resolve options, grow memory */
  dyn();
  typ();
  /* the best of 7 runs of each, interleaved so that a disturbance of the
   * machine hits the three alike */
  double f = 1e30, d = 1e30, t = 1e30;
  for (int run = 0; run < 7; run++) {
    double x = time_once(flo, n), y = time_once(dyn, n), z = time_once(typ, n);
    f = x < f ? x : f;
    d = y < d ? y : d;
    t = z < t ? z : t;
  }
  double scale = ms ? 1e3 : 1e9;
  const char *unit = ms ? "ms" : "ns";
  double hd = d > f ? d - f : 0, ht = t > f ? t - f : 0;
  printf("%-22s %9.1f %s %9.1f %s %9.1f %s %7.2fx %9.1f %s %9.1f %s %7.2fx\n",
         name, f * scale, unit, d * scale, unit, t * scale, unit, d / t,
         hd * scale, unit, ht * scale, unit, ht > 0 ? hd / ht : 0.0);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: host_bench COMPONENT.wasm --core CORE.wasm "
                    "[--quick] [--only ROW]\n");
    return 2;
  }
  int k = 1;
  const char *core_path = NULL;
  for (int i = 2; i < argc; i++)
    if (strcmp(argv[i], "--quick") == 0)
      k = 10;
    else if (strcmp(argv[i], "--core") == 0 && i + 1 < argc)
      core_path = argv[++i];
    else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
      only = argv[++i];
  size_t len;
  uint8_t *bytes = bench_read_file(argv[1], &len);
  if (!bytes) return 2;
  WgEngine *engine = wg_engine_new(NULL);
  WgDiagList *diags = wg_diag_list_new();
  WgWasmComponent *comp;
  if (wg_wasm_component_load(engine, bytes, len, &comp, diags) != WG_OK) {
    wg_diag_list_print(diags, stderr);
    return 1;
  }
  free(bytes);
  WgComponentLinker *linker = wg_component_linker_new(engine, NULL);
  WgStore *store = wg_store_new(engine);
  if (hostbench_instantiate(linker, store, comp, &typed, diags) != WG_OK) {
    wg_diag_list_print(diags, stderr);
    return 1;
  }
  WgComponentInstance *inst = typed.instance;
  dyn_nop = wg_component_instance_func(inst, WG_STR("witgen:bench/api#nop"));
  dyn_echo = wg_component_instance_func(inst, WG_STR("witgen:bench/api#echo"));
  dyn_rec =
      wg_component_instance_func(inst, WG_STR("witgen:bench/api#echo-rec"));
  dyn_pose =
      wg_component_instance_func(inst, WG_STR("witgen:bench/api#echo-pose"));
  dyn_sum = wg_component_instance_func(inst, WG_STR("witgen:bench/api#sum"));
  if (!dyn_nop || !dyn_echo || !dyn_rec || !dyn_pose || !dyn_sum) return 1;

  if (!core_path || !load_core(engine, core_path)) {
    fprintf(stderr, "host_bench: cannot load the core module (--core)\n");
    return 1;
  }
  printf("%-22s %12s %12s %12s %8s | %-32s\n", "", "", "end to end", "", "",
         "the host's part (minus the floor)");
  printf("%-22s %12s %12s %12s %8s | %12s %12s %8s\n", "host -> guest call",
         "core floor", "dynamic", "typed", "speedup", "dynamic", "typed",
         "ratio");
  row("nop", floor_nop, dyn_nop_call, typed_nop, 200000 / k, false);
  static char text[4096];
  for (size_t i = 0; i < sizeof text; i++)
    text[i] = (char)('a' + i % 26);
  echo_arg.ptr = (uint8_t *)text;
  echo_arg.len = 16;
  echo_cval = wg_cval_string(text, 16);
  row("string echo 16 B", floor_echo, dyn_echo_call, typed_echo, 200000 / k,
      false);
  echo_arg.len = 4096;
  echo_cval = wg_cval_string(text, 4096);
  row("string echo 4 KB", floor_echo, dyn_echo_call, typed_echo, 50000 / k,
      false);
  rec_arg = (exports_bench_api_rec8_t){
    7, -1234567890123, 0.5, 1.25f, true, 200, { (uint8_t *)"a name", 6 }, -3
  };
  rec_fields[0] = wg_cval_u32(7);
  rec_fields[1] = wg_cval_s64(-1234567890123);
  rec_fields[2] = wg_cval_f64(0.5);
  rec_fields[3] = wg_cval_f32(1.25f);
  rec_fields[4] = wg_cval_bool(true);
  rec_fields[5] = wg_cval_uint(WG_CVAL_U8, 200);
  rec_fields[6] = wg_cval_string("a name", 6);
  rec_fields[7] = wg_cval_int(WG_CVAL_S16, -3);
  rec_cval = wg_cval_seq(WG_CVAL_RECORD, rec_fields, 8);
  row("record, 8 fields", floor_rec, dyn_rec_call, typed_rec, 100000 / k,
      false);
  pose_arg = (exports_bench_api_pose_t){ 1.5, -2.25, 0.5f, 3.0f, 1234567890123u,
                                         42,  true,  -7 };
  pose_fields[0] = wg_cval_f64(pose_arg.x);
  pose_fields[1] = wg_cval_f64(pose_arg.y);
  pose_fields[2] = wg_cval_f32(pose_arg.z);
  pose_fields[3] = wg_cval_f32(pose_arg.yaw);
  pose_fields[4] = wg_cval_u64(pose_arg.frame);
  pose_fields[5] = wg_cval_uint(WG_CVAL_U16, pose_arg.sensor);
  pose_fields[6] = wg_cval_bool(pose_arg.valid);
  pose_fields[7] = wg_cval_int(WG_CVAL_S8, pose_arg.quality);
  pose_cval = wg_cval_seq(WG_CVAL_RECORD, pose_fields, 8);
  row("record, 8 scalar fields", floor_pose, dyn_pose_call, typed_pose,
      100000 / k, false);
  size_t n = 1000000;
  list_arg.ptr = malloc(n * sizeof(double));
  WgCVal *items = malloc(n * sizeof(WgCVal));
  list_arg.len = n;
  list_sum = 0;
  for (size_t i = 0; i < n; i++) {
    list_arg.ptr[i] = (double)(i % 1000) * 0.25;
    list_sum += list_arg.ptr[i];
    items[i] = wg_cval_f64(list_arg.ptr[i]);
  }
  list_cval = wg_cval_seq(WG_CVAL_LIST, items, n);
  row("sum of list<f64> 1M", floor_sum, dyn_sum_call, typed_sum, k > 1 ? 1 : 5,
      true);
  free(items);
  free(list_arg.ptr);
  wg_store_delete(store);
  wg_store_delete(core_store);
  wg_component_linker_delete(linker);
  wg_wasm_component_delete(comp);
  wg_engine_delete(engine);
  wg_diag_list_delete(diags);
  return errors ? 1 : 0;
}
