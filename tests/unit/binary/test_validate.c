/* SPDX-License-Identifier: Apache-2.0 */
/* The core module validator on hand-made binaries: each class of invalid
 * module with the spec test suite's message, and valid modules exercising
 * multi-value blocks, unreachable code, locals, reference types and SIMD. */
#include "core_asm.h"

#define FUNC_MODULE(a, ft, ...) \
  asm_func_module(a, ft, sizeof(ft), BYTES(__VA_ARGS__), NBYTES(__VA_ARGS__))

static const uint8_t k_void[] = { 0, 0 };         /* [] -> [] */
static const uint8_t k_to_i32[] = { 0, 1, 0x7f }; /* [] -> [i32] */

static void operand_types_are_checked(void **state) {
  (void)state;
  Asm a;
  FUNC_MODULE(&a, k_void, 0, 0x41, 0, 0x42, 0, 0x6a, 0x1a, 0x0b);
  expect_invalid(&a, "type mismatch"); /* i32.add on i64 */
  FUNC_MODULE(&a, k_to_i32, 0, 0x0b);
  expect_invalid(&a, "type mismatch"); /* missing result */
  FUNC_MODULE(&a, k_void, 0, 0x41, 0, 0x0b);
  expect_invalid(&a, "type mismatch"); /* value left over */
  FUNC_MODULE(&a, k_to_i32, 0, 0x41, 1, 0x04, 0x7f, 0x41, 1, 0x0b, 0x0b);
  expect_invalid(&a, "type mismatch"); /* if with result, no else */
  FUNC_MODULE(&a, k_void, 0, 0xd0, 0x70, 0xd0, 0x70, 0x41, 0, 0x1b, 0x1a, 0x0b);
  expect_invalid(&a, "type mismatch"); /* untyped select on references */
  FUNC_MODULE(&a, k_void, 0, 0x02, 0x40, 0x41, 0, 0x0e, 1, 0, 1, 0x0b, 0x0b);
  expect_valid(&a); /* br_table to the block and the function */
  FUNC_MODULE(&a, k_void, 0, 0x02, 0x7f, 0x41, 0, 0x41, 0, 0x0e, 1, 0, 1, 0x0b,
              0x1a, 0x0b);
  expect_invalid(&a, "type mismatch"); /* br_table arities differ */
}

static void locals_are_looked_up_in_runs(void **state) {
  (void)state;
  Asm a;
  /* locals: 3 x i32, 0 x f32, 2 x i64 */
  FUNC_MODULE(&a, k_void, 3, 3, 0x7f, 0, 0x7d, 2, 0x7e, 0x20, 2, 0x45, 0x1a,
              0x20, 3, 0x50, 0x1a, 0x20, 4, 0x50, 0x1a, 0x0b);
  expect_valid(&a);
  FUNC_MODULE(&a, k_void, 3, 3, 0x7f, 0, 0x7d, 2, 0x7e, 0x20, 3, 0x45, 0x1a,
              0x0b);
  expect_invalid(&a, "type mismatch");
  FUNC_MODULE(&a, k_void, 3, 3, 0x7f, 0, 0x7d, 2, 0x7e, 0x20, 5, 0x1a, 0x0b);
  expect_invalid(&a, "unknown local");
  /* parameters come first */
  static const uint8_t f64_param[] = { 1, 0x7c, 0 };
  FUNC_MODULE(&a, f64_param, 1, 1, 0x7f, 0x20, 0, 0x9a, 0x1a, 0x20, 1, 0x45,
              0x1a, 0x0b);
  expect_valid(&a);
}

static void unknown_indices(void **state) {
  (void)state;
  Asm a;
  FUNC_MODULE(&a, k_void, 0, 0x23, 0, 0x1a, 0x0b);
  expect_invalid(&a, "unknown global");
  FUNC_MODULE(&a, k_void, 0, 0x10, 5, 0x0b);
  expect_invalid(&a, "unknown function");
  FUNC_MODULE(&a, k_void, 0, 0x41, 0, 0x11, 0, 0, 0x0b);
  expect_invalid(&a, "unknown table");
  FUNC_MODULE(&a, k_void, 0, 0x41, 0, 0x28, 2, 0, 0x1a, 0x0b);
  expect_invalid(&a, "unknown memory");
  FUNC_MODULE(&a, k_void, 0, 0x02, 0x05, 0x0b, 0x0b);
  expect_invalid(&a, "unknown type");
  FUNC_MODULE(&a, k_void, 0, 0x0c, 1, 0x0b);
  expect_invalid(&a, "unknown label");
  FUNC_MODULE(&a, k_void, 0, 0xfc, 13, 0, 0x0b);
  expect_invalid(&a, "unknown elem segment");
  Asm b;
  asm_header(&b);
  SEC(&b, 1, 1, 0x60, 0, 0);
  SEC(&b, 3, 1, 0);
  SEC(&b, 12, 0);
  CODE1(&b, 0, 0xfc, 9, 0, 0x0b);
  expect_invalid(&b, "unknown data segment");
  asm_header(&b);
  SEC(&b, 1, 1, 0x60, 0, 0);
  SEC(&b, 3, 1, 0);
  SEC(&b, 4, 1, 0x70, 0, 0);
  CODE1(&b, 0, 0x41, 0, 0x11, 3, 0, 0x0b);
  expect_invalid(&b, "unknown type");
  asm_header(&b);
  SEC(&b, 3, 1, 0); /* function of a type that does not exist */
  CODE1(&b, 0, 0x0b);
  expect_invalid(&b, "unknown type");
  asm_header(&b);
  SEC(&b, 7, 1, 1, 'x', 2, 0); /* export of memory 0 */
  expect_invalid(&b, "unknown memory");
}

static void memory_rules(void **state) {
  (void)state;
  Asm a;
  asm_header(&a);
  SEC(&a, 1, 1, 0x60, 0, 0);
  SEC(&a, 3, 1, 0);
  SEC(&a, 5, 1, 0, 1);
  CODE1(&a, 0, 0x41, 0, 0x28, 3, 0, 0x1a, 0x0b);
  expect_invalid(&a, "alignment must not be larger than natural");
  asm_header(&a);
  SEC(&a, 1, 1, 0x60, 0, 0);
  SEC(&a, 3, 1, 0);
  SEC(&a, 5, 1, 0, 1);
  CODE1(&a, 0, 0x41, 0, 0xfd, 0x0a, 3, 0, 0x1a, 0x0b); /* load64_splat */
  expect_valid(&a);
  asm_header(&a);
  SEC(&a, 5, 2, 0, 1, 0, 1);
  expect_invalid(&a, "multiple memories");
  asm_header(&a);
  SEC(&a, 5, 1, 1, 2, 1);
  expect_invalid(&a, "size minimum must not be greater than maximum");
  asm_header(&a);
  SEC(&a, 5, 1, 0, 0x81, 0x80, 0x04); /* 65537 pages */
  expect_invalid(&a, "memory size must be at most 65536 pages (4GiB)");
  asm_header(&a);
  SEC(&a, 5, 1, 1, 0, 0x80, 0x80, 0x04); /* exactly 4 GiB is allowed */
  expect_valid(&a);
  asm_header(&a);
  SEC(&a, 4, 1, 0x70, 1, 3, 2);
  expect_invalid(&a, "size minimum must not be greater than maximum");
}

/* A multi-memory module: two memories of one page, one passive data
 * segment, and one function [] -> [] with `body` (locals, code, end). */
static void mm_module(Asm *a, const uint8_t *body, size_t n) {
  asm_header(a);
  a->features = WG_FEATURES_ALL;
  SEC(a, 1, 1, 0x60, 0, 0);
  SEC(a, 3, 1, 0);
  SEC(a, 5, 2, 0, 1, 0, 1);
  SEC(a, 12, 1);
  asm_code1(a, body, n);
  SEC(a, 11, 1, 1, 0);
}
#define MM_MODULE(a, ...) mm_module(a, BYTES(__VA_ARGS__), NBYTES(__VA_ARGS__))

/* Multi-memory: memory indices of every memory instruction are checked
 * against the memories defined and imported. */
static void memory_indices(void **state) {
  (void)state;
  Asm a;
  MM_MODULE(&a, 0, 0x41, 0, 0x28, 0x42, 1, 0, 0x1a, 0x0b); /* i32.load 1 */
  expect_valid(&a);
  MM_MODULE(&a, 0, 0x41, 0, 0x28, 0x42, 2, 0, 0x1a, 0x0b);
  expect_invalid(&a, "unknown memory 2");
  MM_MODULE(&a, 0, 0x41, 0, 0x41, 0, 0x37, 0x43, 1, 0, 0x0b); /* i64.store */
  expect_invalid(&a, "type mismatch");
  MM_MODULE(&a, 0, 0x41, 0, 0x42, 0, 0x37, 0x43, 1, 0, 0x0b);
  expect_valid(&a);
  MM_MODULE(&a, 0, 0x41, 0, 0x42, 0, 0x37, 0x44, 1, 0, 0x0b);
  expect_invalid(&a, "alignment must not be larger than natural");
  MM_MODULE(&a, 0, 0x41, 0, 0x28, 0x20, 0, 0x1a, 0x0b); /* 2^32: invalid */
  expect_invalid(&a, "alignment must not be larger than natural");
  MM_MODULE(&a, 0, 0x3f, 1, 0x1a, 0x0b); /* memory.size 1 */
  expect_valid(&a);
  MM_MODULE(&a, 0, 0x3f, 2, 0x1a, 0x0b);
  expect_invalid(&a, "unknown memory 2");
  MM_MODULE(&a, 0, 0x41, 1, 0x40, 1, 0x1a, 0x0b); /* memory.grow 1 */
  expect_valid(&a);
  MM_MODULE(&a, 0, 0x41, 1, 0x40, 5, 0x1a, 0x0b);
  expect_invalid(&a, "unknown memory 5");
  MM_MODULE(&a, 0, 0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 11, 1, 0x0b); /* fill */
  expect_valid(&a);
  MM_MODULE(&a, 0, 0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 11, 2, 0x0b);
  expect_invalid(&a, "unknown memory 2");
  MM_MODULE(&a, 0, 0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 10, 1, 0, 0x0b); /* copy */
  expect_valid(&a);
  MM_MODULE(&a, 0, 0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 10, 0, 2, 0x0b);
  expect_invalid(&a, "unknown memory 2");
  MM_MODULE(&a, 0, 0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 10, 2, 0, 0x0b);
  expect_invalid(&a, "unknown memory 2");
  MM_MODULE(&a, 0, 0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 8, 0, 1, 0x0b); /* init */
  expect_valid(&a);
  MM_MODULE(&a, 0, 0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 8, 0, 3, 0x0b);
  expect_invalid(&a, "unknown memory 3");
  MM_MODULE(&a, 0, 0x41, 0, 0xfd, 0x00, 0x44, 1, 0, 0x1a, 0x0b); /* v128 */
  expect_valid(&a);
  MM_MODULE(&a, 0, 0x41, 0, 0xfd, 0x00, 0x44, 2, 0, 0x1a, 0x0b);
  expect_invalid(&a, "unknown memory 2");
  /* several memories, imported and defined; segments and exports */
  asm_header(&a);
  a.features = WG_FEATURES_ALL;
  SEC(&a, 2, 1, 1, 'm', 1, 'm', 2, 0, 1);
  SEC(&a, 5, 1, 0, 1);
  SEC(&a, 7, 1, 1, 'x', 2, 1);
  SEC(&a, 11, 1, 2, 1, 0x41, 0, 0x0b, 1, 'a'); /* into memory 1 */
  expect_valid(&a);
  asm_header(&a);
  a.features = WG_FEATURES_ALL;
  SEC(&a, 5, 2, 0, 1, 0, 1);
  SEC(&a, 11, 1, 2, 2, 0x41, 0, 0x0b, 1, 'a'); /* into memory 2 */
  expect_invalid(&a, "unknown memory 2");
  asm_header(&a);
  a.features = WG_FEATURES_ALL;
  SEC(&a, 5, 2, 0, 1, 0, 1);
  SEC(&a, 7, 1, 1, 'x', 2, 2);
  expect_invalid(&a, "unknown memory 2");
  /* the same two memories without the feature: WebAssembly 2.0 */
  asm_header(&a);
  SEC(&a, 5, 2, 0, 1, 0, 1);
  expect_invalid(&a, "multiple memories");
}

static void globals_and_constant_expressions(void **state) {
  (void)state;
  Asm a;
  asm_header(&a);
  SEC(&a, 1, 1, 0x60, 0, 0);
  SEC(&a, 3, 1, 0);
  SEC(&a, 6, 1, 0x7f, 0, 0x41, 0, 0x0b);
  CODE1(&a, 0, 0x41, 1, 0x24, 0, 0x0b);
  expect_invalid(&a, "global is immutable");
  asm_header(&a);
  SEC(&a, 6, 1, 0x7f, 0, 0x41, 0, 0x41, 1, 0x6a, 0x0b);
  expect_invalid(&a, "constant expression required");
  asm_header(&a);
  SEC(&a, 6, 1, 0x7f, 0, 0x42, 0, 0x0b);
  expect_invalid(&a, "type mismatch");
  asm_header(&a);
  SEC(&a, 6, 1, 0x7f, 0, 0x0b);
  expect_invalid(&a, "type mismatch"); /* empty */
  asm_header(&a);
  SEC(&a, 6, 2, 0x7f, 0, 0x41, 0, 0x0b, 0x7f, 0, 0x23, 0, 0x0b);
  expect_invalid(&a, "unknown global"); /* only imported globals */
  asm_header(&a);
  SEC(&a, 2, 1, 1, 'm', 1, 'g', 3, 0x7f, 1);
  SEC(&a, 6, 1, 0x7f, 0, 0x23, 0, 0x0b);
  expect_invalid(&a, "constant expression required"); /* mutable import */
  asm_header(&a);
  SEC(&a, 2, 1, 1, 'm', 1, 'g', 3, 0x7f, 0);
  SEC(&a, 6, 2, 0x7f, 1, 0x23, 0, 0x0b, /* immutable import: fine */
      0x7b, 0, 0xfd, 0x0c, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
      16, 0x0b);
  expect_valid(&a);
  asm_header(&a);
  SEC(&a, 5, 1, 0, 1);
  SEC(&a, 11, 1, 0, 0x42, 0, 0x0b, 0);
  expect_invalid(&a, "type mismatch"); /* i64 data offset */
}

static void exports_and_start(void **state) {
  (void)state;
  Asm a;
  asm_header(&a);
  SEC(&a, 1, 1, 0x60, 0, 0);
  SEC(&a, 3, 1, 0);
  SEC(&a, 7, 2, 1, 'f', 0, 0, 1, 'f', 0, 0);
  CODE1(&a, 0, 0x0b);
  expect_invalid(&a, "duplicate export name");
  asm_header(&a);
  SEC(&a, 1, 1, 0x60, 0, 0);
  SEC(&a, 3, 1, 0);
  SEC(&a, 7, 3, 1, 'f', 0, 0, 1, 'g', 0, 0, 2, 'f', 'g', 0, 0);
  CODE1(&a, 0, 0x0b);
  expect_valid(&a);
  asm_header(&a);
  SEC(&a, 1, 1, 0x60, 1, 0x7f, 0);
  SEC(&a, 3, 1, 0);
  SEC(&a, 8, 0);
  CODE1(&a, 0, 0x0b);
  expect_invalid(&a, "start function");
  asm_header(&a);
  SEC(&a, 8, 0);
  expect_invalid(&a, "unknown function");
}

static void references(void **state) {
  (void)state;
  Asm a;
  FUNC_MODULE(&a, k_void, 0, 0xd2, 0, 0x1a, 0x0b);
  expect_invalid(&a, "undeclared function reference");
  asm_header(&a);
  SEC(&a, 1, 1, 0x60, 0, 0);
  SEC(&a, 3, 1, 0);
  SEC(&a, 9, 1, 3, 0, 1, 0); /* declarative segment naming function 0 */
  CODE1(&a, 0, 0xd2, 0, 0xd1, 0x1a, 0x0b);
  expect_valid(&a);
  asm_header(&a); /* an externref segment cannot initialise a funcref table */
  SEC(&a, 1, 1, 0x60, 0, 0);
  SEC(&a, 3, 1, 0);
  SEC(&a, 4, 1, 0x70, 0, 1);
  SEC(&a, 9, 1, 5, 0x6f, 0);
  CODE1(&a, 0, 0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 12, 0, 0, 0x0b);
  expect_invalid(&a, "type mismatch");
  asm_header(&a); /* call_indirect through an externref table */
  SEC(&a, 1, 1, 0x60, 0, 0);
  SEC(&a, 3, 1, 0);
  SEC(&a, 4, 1, 0x6f, 0, 1);
  CODE1(&a, 0, 0x41, 0, 0x11, 0, 0, 0x0b);
  expect_invalid(&a, "type mismatch");
  asm_header(&a); /* table.get/set/size/grow/fill on a second table */
  SEC(&a, 1, 1, 0x60, 0, 0);
  SEC(&a, 3, 1, 0);
  SEC(&a, 4, 2, 0x70, 0, 1, 0x6f, 0, 1);
  CODE1(&a, 0, 0x41, 0, 0x41, 0, 0x25, 1, 0x26, 1, 0xd0, 0x6f, 0x41, 1, 0xfc,
        15, 1, 0xfc, 16, 1, 0x6a, 0x1a, 0x0b);
  expect_valid(&a);
  FUNC_MODULE(&a, k_void, 0, 0x41, 0, 0x41, 0, 0x41, 0, 0x1c, 2, 0x7f, 0x7f,
              0x1a, 0x0b);
  expect_invalid(&a, "invalid result arity");
  FUNC_MODULE(&a, k_void, 0, 0xd0, 0x6f, 0xd0, 0x6f, 0x41, 0, 0x1c, 1, 0x6f,
              0x1a, 0x0b);
  expect_valid(&a); /* typed select on externref */
}

static void multi_value_and_unreachable(void **state) {
  (void)state;
  Asm a;
  asm_header(&a);
  SEC(&a, 1, 3, 0x60, 0, 0, 0x60, 0, 2, 0x7f, 0x7e, 0x60, 1, 0x7f, 1, 0x7f);
  SEC(&a, 3, 1, 0);
  /* block (type 1) -> i32 i64; loop (type 2) consuming an i32 */
  CODE1(&a, 0, 0x02, 1, 0x41, 1, 0x42, 2, 0x0b, 0x1a, 0x03, 2, 0x0b, 0x1a,
        0x0b);
  expect_valid(&a);
  asm_header(&a);
  SEC(&a, 1, 2, 0x60, 0, 0, 0x60, 0, 2, 0x7f, 0x7e);
  SEC(&a, 3, 1, 0);
  CODE1(&a, 0, 0x02, 1, 0x42, 2, 0x41, 1, 0x0b, 0x1a, 0x1a, 0x0b);
  expect_invalid(&a, "type mismatch"); /* results in the wrong order */
  /* after unreachable, the stack is polymorphic */
  FUNC_MODULE(&a, k_to_i32, 0, 0x00, 0x6a, 0x1b, 0x0b);
  expect_valid(&a);
  FUNC_MODULE(&a, k_to_i32, 0, 0x00, 0x0e, 0, 0, 0x0b);
  expect_valid(&a);
  FUNC_MODULE(&a, k_to_i32, 0, 0x00, 0x42, 0, 0x0b);
  expect_invalid(&a, "type mismatch"); /* known operands still count */
  FUNC_MODULE(&a, k_to_i32, 0, 0x0f, 0x0b);
  expect_invalid(&a, "type mismatch"); /* return without a value */
}

static void vector_instructions(void **state) {
  (void)state;
  Asm a;
  FUNC_MODULE(&a, k_to_i32, 0, 0xfd, 0x0c, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0,
              4, 0, 0, 0, 0xfd, 0x0c, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0,
              0, 0, 0xfd, 0xae, 0x01, 0xfd, 0x1b, 3, 0x0b);
  expect_valid(&a);
  FUNC_MODULE(&a, k_to_i32, 0, 0xfd, 0x0c, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0,
              4, 0, 0, 0, 0xfd, 0x1b, 4, 0x0b);
  expect_invalid(&a, "invalid lane index");
  FUNC_MODULE(&a, k_to_i32, 0, 0x41, 0, 0xfd, 0x0f, 0xfd, 0x15, 16, 0x0b);
  expect_invalid(&a, "invalid lane index");
  FUNC_MODULE(&a, k_to_i32, 0, 0x41, 0, 0xfd, 0x0f, 0xfd, 0x0c, 0, 0, 0, 0, 0,
              0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfd, 0x0d, 0, 1, 2, 3, 4, 5, 6,
              7, 8, 9, 10, 11, 12, 13, 14, 32, 0xfd, 0x15, 0, 0x0b);
  expect_invalid(&a, "invalid lane index"); /* shuffle lane 32 */
  FUNC_MODULE(&a, k_to_i32, 0, 0x41, 0, 0xfd, 0x0f, 0x0b);
  expect_invalid(&a, "type mismatch"); /* v128 is not i32 */
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(operand_types_are_checked),
    cmocka_unit_test(locals_are_looked_up_in_runs),
    cmocka_unit_test(unknown_indices),
    cmocka_unit_test(memory_rules),
    cmocka_unit_test(globals_and_constant_expressions),
    cmocka_unit_test(exports_and_start),
    cmocka_unit_test(references),
    cmocka_unit_test(multi_value_and_unreachable),
    cmocka_unit_test(vector_instructions),
    cmocka_unit_test(memory_indices),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
