/* SPDX-License-Identifier: Apache-2.0 */
/* The small core modules `witgen new` adds to a component, written with
 * core_writer.h:
 *
 *   - the shim: function i calls slot i of its table, so the main module
 *     can import functions that exist only once it is instantiated;
 *   - the fixup: stores the real functions into the shim's table and calls
 *     the main module's initializer from its start function;
 *   - for a preview1 adapter: a realloc growing the memory by whole pages
 *     (for a main module without `cabi_realloc`), and a start module
 *     giving the adapter its stack. */
#include <stdio.h>

#include "component_new_impl.h"
#include "core_writer.h"

/* The name of shim slot `i` in the shim's and the fixup's exports. */
static WgStr slot_name(char buf[16], uint32_t i) {
  snprintf(buf, 16, "%u", i);
  return wg_str_from_cstr(buf);
}

static void put_functype(WgBuf *b, const WgFuncType *ft) {
  wg_cw_functype(b, WG_FUNCTYPE_PARAMS(ft), ft->param_count,
                 WG_FUNCTYPE_RESULTS(ft), ft->result_count);
}

/* (table funcref count count), the shim's table as defined or imported. */
static void put_slot_table(WgBuf *b, uint32_t count) {
  wg_buf_putc(b, (char)WG_VT_FUNCREF);
  wg_cw_limits(b, count, true, count);
}

void wg_cnew_shim_module(const Lowered *l, uint32_t count, WgBuf *m) {
  char name[16];
  wg_cw_header(m);
  WgBuf s = { 0 };
  wg_buf_uleb(&s, count);
  for (uint32_t i = 0; i < count; i++)
    put_functype(&s, l[i].ft);
  wg_cw_section(m, CW_SEC_TYPE, &s);
  wg_buf_uleb(&s, count); /* function i has type i */
  for (uint32_t i = 0; i < count; i++)
    wg_buf_uleb(&s, i);
  wg_cw_section(m, CW_SEC_FUNC, &s);
  wg_buf_uleb(&s, 1);
  put_slot_table(&s, count);
  wg_cw_section(m, CW_SEC_TABLE, &s);
  wg_buf_uleb(&s, count + 1);
  for (uint32_t i = 0; i < count; i++)
    wg_cw_export(&s, slot_name(name, i), WG_EXTERN_FUNC, i);
  wg_cw_export(&s, WG_STR("$imports"), WG_EXTERN_TABLE, 0);
  wg_cw_section(m, CW_SEC_EXPORT, &s);
  wg_buf_uleb(&s, count);
  for (uint32_t i = 0; i < count; i++) {
    /* its parameters, then call_indirect (type i) (table 0) of slot i */
    WgBuf body = { 0 };
    wg_buf_uleb(&body, 0); /* no locals */
    for (uint32_t p = 0; p < l[i].ft->param_count; p++)
      wg_cw_op_u(&body, CW_OP_LOCAL_GET, p);
    wg_cw_i32_const(&body, (int32_t)i);
    wg_cw_op_u(&body, CW_OP_CALL_INDIRECT, i);
    wg_buf_uleb(&body, 0);
    wg_cw_op(&body, CW_OP_END);
    wg_cw_func_body(&s, &body);
  }
  wg_cw_section(m, CW_SEC_CODE, &s);
}

void wg_cnew_fixup_module(const Lowered *l, uint32_t count, bool init,
                          WgBuf *m) {
  char name[16];
  wg_cw_header(m);
  WgBuf s = { 0 };
  wg_buf_uleb(&s, count + (init ? 1 : 0));
  for (uint32_t i = 0; i < count; i++)
    put_functype(&s, l[i].ft);
  if (init) wg_cw_functype(&s, NULL, 0, NULL, 0);
  wg_cw_section(m, CW_SEC_TYPE, &s);
  /* imports: the slots' functions, the initializer, the shim's table */
  wg_buf_uleb(&s, count + (init ? 1 : 0) + (count ? 1 : 0));
  for (uint32_t i = 0; i < count; i++) {
    wg_cw_import(&s, WG_STR(""), slot_name(name, i), WG_EXTERN_FUNC);
    wg_buf_uleb(&s, i);
  }
  if (init) {
    wg_cw_import(&s, WG_STR(""), WG_STR("init"), WG_EXTERN_FUNC);
    wg_buf_uleb(&s, count);
  }
  if (count) {
    wg_cw_import(&s, WG_STR(""), WG_STR("$imports"), WG_EXTERN_TABLE);
    put_slot_table(&s, count);
  }
  wg_cw_section(m, CW_SEC_IMPORT, &s);
  if (init) {
    wg_buf_uleb(&s, count);
    wg_cw_section(m, CW_SEC_START, &s);
  }
  if (count) {
    /* one active segment: table 0 from offset 0 gets functions 0..count */
    wg_buf_uleb(&s, 1);
    wg_buf_putc(&s, CW_ELEM_ACTIVE0);
    wg_cw_i32_const(&s, 0);
    wg_cw_op(&s, CW_OP_END);
    wg_buf_uleb(&s, count);
    for (uint32_t i = 0; i < count; i++)
      wg_buf_uleb(&s, i);
    wg_cw_section(m, CW_SEC_ELEM, &s);
  }
}

/* The import of `env.memory` (any size). */
static void import_env_memory(WgBuf *s) {
  wg_cw_import(s, WG_STR("env"), WG_STR("memory"), WG_EXTERN_MEMORY);
  wg_cw_limits(s, 0, false, 0);
}

/* `memory.grow` of the i32 on the stack; traps when the memory cannot grow
 * and leaves the old size in pages in local `tmp`. */
static void grow_or_trap(WgBuf *b, uint32_t tmp) {
  wg_cw_op_u(b, CW_OP_MEMORY_GROW, 0);
  wg_cw_op_u(b, CW_OP_LOCAL_TEE, tmp);
  wg_cw_i32_const(b, -1);
  wg_cw_op(b, CW_OP_I32_EQ);
  wg_cw_trap_if(b);
}

/* One function of type () -> () or the realloc type, with one i32 local,
 * as the whole code section. */
static void one_function_code(WgBuf *m, WgBuf *instrs) {
  WgBuf body = { 0 };
  wg_buf_uleb(&body, 1); /* one run of locals: 1 x i32 */
  wg_buf_uleb(&body, 1);
  wg_buf_putc(&body, (char)WG_VT_I32);
  wg_buf_append(&body, instrs->data, instrs->len);
  if (instrs->failed) body.failed = true;
  wg_buf_free(instrs);
  WgBuf s = { 0 };
  wg_buf_uleb(&s, 1);
  wg_cw_func_body(&s, &body);
  wg_cw_section(m, CW_SEC_CODE, &s);
}

void wg_cnew_realloc_module(WgBuf *m) {
  static const WgValType params[4] = { WG_VT_I32, WG_VT_I32, WG_VT_I32,
                                       WG_VT_I32 };
  static const WgValType result[1] = { WG_VT_I32 };
  wg_cw_header(m);
  WgBuf s = { 0 };
  wg_buf_uleb(&s, 1);
  wg_cw_functype(&s, params, 4, result, 1);
  wg_cw_section(m, CW_SEC_TYPE, &s);
  wg_buf_uleb(&s, 1);
  import_env_memory(&s);
  wg_cw_section(m, CW_SEC_IMPORT, &s);
  wg_buf_uleb(&s, 1);
  wg_buf_uleb(&s, 0);
  wg_cw_section(m, CW_SEC_FUNC, &s);
  wg_buf_uleb(&s, 1);
  wg_cw_export(&s, WG_STR("realloc"), WG_EXTERN_FUNC, 0);
  wg_cw_section(m, CW_SEC_EXPORT, &s);
  /* realloc(old_ptr, old_size, align, size), local 4:
   *   if (old_ptr | old_size) unreachable;   (only fresh blocks)
   *   return memory.grow((size + 65535) >> 16) << 16, trapping on -1 */
  WgBuf c = { 0 };
  wg_cw_op_u(&c, CW_OP_LOCAL_GET, 0);
  wg_cw_op_u(&c, CW_OP_LOCAL_GET, 1);
  wg_cw_op(&c, CW_OP_I32_OR);
  wg_cw_trap_if(&c);
  wg_cw_op_u(&c, CW_OP_LOCAL_GET, 3);
  wg_cw_i32_const(&c, 65535);
  wg_cw_op(&c, CW_OP_I32_ADD);
  wg_cw_i32_const(&c, 16);
  wg_cw_op(&c, CW_OP_I32_SHR_U);
  grow_or_trap(&c, 4);
  wg_cw_op_u(&c, CW_OP_LOCAL_GET, 4);
  wg_cw_i32_const(&c, 16);
  wg_cw_op(&c, CW_OP_I32_SHL);
  wg_cw_op(&c, CW_OP_END);
  one_function_code(m, &c);
}

void wg_cnew_stack_module(WgBuf *m) {
  wg_cw_header(m);
  WgBuf s = { 0 };
  wg_buf_uleb(&s, 1);
  wg_cw_functype(&s, NULL, 0, NULL, 0);
  wg_cw_section(m, CW_SEC_TYPE, &s);
  wg_buf_uleb(&s, 3);
  import_env_memory(&s);
  wg_cw_import(&s, WG_STR("env"), WG_STR("$sp"), WG_EXTERN_GLOBAL);
  wg_cw_global_type(&s, WG_VT_I32, true);
  wg_cw_import(&s, WG_STR("env"), WG_STR("$state"), WG_EXTERN_GLOBAL);
  wg_cw_global_type(&s, WG_VT_I32, true);
  wg_cw_section(m, CW_SEC_IMPORT, &s);
  wg_buf_uleb(&s, 1);
  wg_buf_uleb(&s, 0);
  wg_cw_section(m, CW_SEC_FUNC, &s);
  wg_buf_uleb(&s, 0);
  wg_cw_section(m, CW_SEC_START, &s);
  /* local 0: $sp = (memory.grow 1) << 16 + 65536, trapping when the memory
   * cannot grow; $state = 2 (stack allocated) */
  WgBuf c = { 0 };
  wg_cw_i32_const(&c, 1);
  grow_or_trap(&c, 0);
  wg_cw_op_u(&c, CW_OP_LOCAL_GET, 0);
  wg_cw_i32_const(&c, 16);
  wg_cw_op(&c, CW_OP_I32_SHL);
  wg_cw_i32_const(&c, 65536);
  wg_cw_op(&c, CW_OP_I32_ADD);
  wg_cw_op_u(&c, CW_OP_GLOBAL_SET, 0);
  wg_cw_i32_const(&c, 2);
  wg_cw_op_u(&c, CW_OP_GLOBAL_SET, 1);
  wg_cw_op(&c, CW_OP_END);
  one_function_code(m, &c);
}
