/* SPDX-License-Identifier: Apache-2.0 */
/* Instantiation (spec: Execution, 4.5.4 Instantiation): import checks,
 * allocation of functions, tables, memories and globals, constant
 * expressions, element and data segments, start function; plus calls into
 * instances from the embedder. */
#include <string.h>

#include "alloc.h"
#include "arena.h"
#include "rt.h"
#include "vec.h"

/* Section: constant expressions */

/* Evaluates a validated constant expression into out[0..1] (a v128 takes
 * both). i32/i64 add, sub and mul (extended constant expressions) are
 * evaluated too. */
static bool eval_const(WgInstance *inst, const WgConstExpr *e, WgSlot out[2]) {
  WgSlot stack[8][2];
  int sp = 0;
  const uint8_t *p = e->code, *end = e->code + e->len;
  for (;;) {
    WgInstr in;
    if (wg_instr_read(&p, end, inst->mod->m->features, &in) != WG_INSTR_OK)
      return false;
    uint8_t op = in.op;
    if (op == 0x0B) break;
    if (op == 0x6A || op == 0x6B || op == 0x6C || op == 0x7C || op == 0x7D ||
        op == 0x7E) {
      if (sp < 2) return false;
      WgSlot *a = stack[sp - 2], *b = stack[sp - 1];
      sp--;
      switch (op) {
        case 0x6A:
          a->u64 = (uint32_t)(a->u32 + b->u32);
          break;
        case 0x6B:
          a->u64 = (uint32_t)(a->u32 - b->u32);
          break;
        case 0x6C:
          a->u64 = (uint32_t)(a->u32 * b->u32);
          break;
        case 0x7C:
          a->u64 = a->u64 + b->u64;
          break;
        case 0x7D:
          a->u64 = a->u64 - b->u64;
          break;
        default:
          a->u64 = a->u64 * b->u64;
          break;
      }
      continue;
    }
    if (sp >= 8) return false;
    WgSlot *v = stack[sp++];
    v[0].u64 = v[1].u64 = 0;
    switch (op) {
      case 0x41: /* i32.const: the low 32 bits */
        v[0].u64 = (uint32_t)in.value;
        break;
      case 0x42: /* i64.const, f32.const, f64.const: the bits */
      case 0x43:
      case 0x44:
        v[0].u64 = in.value;
        break;
      case 0xFD: /* v128.const */
        if (in.sub != 12) return false;
        memcpy(v, in.bytes, 16);
        break;
      case 0xD0: /* ref.null */
        break;
      case 0xD2:
        v[0].ref = inst->funcs[in.x];
        break;
      case 0x23:
        if (!inst->globals[in.x]) return false;
        v[0] = inst->globals[in.x]->val[0];
        v[1] = inst->globals[in.x]->val[1];
        break;
      default:
        return false;
    }
  }
  if (sp != 1) return false;
  out[0] = stack[0][0];
  out[1] = stack[0][1];
  return true;
}

/* Section: import checks */

static bool limits_match(uint64_t cur_min, bool has_max, uint64_t max,
                         const WgLimits *want) {
  if (cur_min < want->min) return false;
  if (want->has_max) {
    if (!has_max) return false;
    if (max > want->max) return false;
  }
  return true;
}

static bool import_ok(WgStore *s, const WgModule *m, const WgImport *im,
                      const WgExtern *ex) {
  if ((int)ex->kind != (int)im->kind) return false;
  switch (im->kind) {
    case WG_EXTERN_FUNC: {
      if (!ex->of.func) return false;
      uint32_t id = wg_store_intern_type(s, &m->types[im->desc.func_type]);
      return id == ex->of.func->type_id;
    }
    case WG_EXTERN_TABLE: {
      const WgTableInst *t = ex->of.table;
      if (!t || (int)t->elem != (int)im->desc.table.elem) return false;
      return limits_match(t->size, t->has_max, t->declared_max,
                          &im->desc.table.limits);
    }
    case WG_EXTERN_MEMORY: {
      const WgMemInst *mm = ex->of.memory;
      if (!mm) return false;
      return limits_match(mm->pages, mm->has_max, mm->declared_max,
                          &im->desc.memory.limits);
    }
    case WG_EXTERN_GLOBAL: {
      const WgGlobalInst *g = ex->of.global;
      if (!g) return false;
      return (int)g->kind == (int)im->desc.global.type &&
             g->is_mutable == im->desc.global.mutable_;
    }
    default:
      return false;
  }
}

/* Section: calls */

static bool kind_ok(WgValType t, const WgVal *v) {
  return (int)v->kind == (int)t;
}

WgTrap *wg_func_call(WgStore *s, WgFuncInst *f, const WgVal *args, size_t nargs,
                     WgVal *results, size_t nresults) {
  if (!s || !f) return wg_trap_make(WG_TRAP_MISUSE, "no store or function");
  const WgFuncType *ft = f->type;
  if (nargs != ft->param_count || nresults != ft->result_count)
    return wg_trap_make(WG_TRAP_MISUSE, "wrong number of arguments/results");
  WgSlot *fp = s->stack_top;
  uint32_t slot = 0;
  for (uint32_t i = 0; i < ft->param_count; i++) {
    WgValType t = WG_FUNCTYPE_PARAMS(ft)[i];
    if (!kind_ok(t, &args[i]))
      return wg_trap_make(WG_TRAP_MISUSE, "argument type mismatch");
    slot += wg_slots_of(t);
  }
  uint32_t rslots = 0;
  for (uint32_t i = 0; i < ft->result_count; i++)
    rslots += wg_slots_of(WG_FUNCTYPE_RESULTS(ft)[i]);
  if (fp + (slot > rslots ? slot : rslots) + 2 > s->stack_end)
    return wg_trap_make(WG_TRAP_EXHAUSTED, "call stack exhausted");
  slot = 0;
  for (uint32_t i = 0; i < ft->param_count; i++) {
    WgValType t = WG_FUNCTYPE_PARAMS(ft)[i];
    const WgVal *v = &args[i];
    switch (t) {
      case WG_VT_I32:
      case WG_VT_F32:
        fp[slot].u64 = v->of.f32_bits;
        break;
      case WG_VT_V128:
        memcpy(&fp[slot], v->of.v128, 16);
        break;
      default:
        fp[slot].i64 = v->of.i64;
        break;
    }
    slot += wg_slots_of(t);
  }
  WgTrap *trap = wg_interp_invoke(s, f, fp);
  if (trap) return trap;
  slot = 0;
  for (uint32_t i = 0; i < ft->result_count; i++) {
    WgValType t = WG_FUNCTYPE_RESULTS(ft)[i];
    WgVal *r = &results[i];
    memset(r, 0, sizeof *r);
    r->kind = (WgValKind)t;
    switch (t) {
      case WG_VT_I32:
      case WG_VT_F32:
        r->of.f32_bits = fp[slot].u32;
        break;
      case WG_VT_V128:
        memcpy(r->of.v128, &fp[slot], 16);
        break;
      default:
        r->of.i64 = fp[slot].i64;
        break;
    }
    slot += wg_slots_of(t);
  }
  return NULL;
}

/* Section: instantiation */

/* A zeroed array of `n` elements of `size` bytes (one more, so that none
 * is empty) in the store's arena; NULL on out-of-memory. */
static void *zalloc_array(WgStore *s, size_t size, size_t n) {
  return wg_arena_zalloc(&s->arena, size * (n + 1));
}
#define ZALLOC_ARRAY(s, ptr, n) ((ptr) = zalloc_array(s, sizeof *(ptr), (n)))

/* Checks the imports given against the module's (count, kinds, types). */
static WgStatus check_imports(WgStore *s, const WgModule *m,
                              const WgExtern *imports, size_t import_count,
                              WgDiagList *diags) {
  if (import_count != m->import_count)
    return wg_rt_fail(diags, WG_ERR_UNLINKABLE, "unknown import");
  for (size_t i = 0; i < import_count; i++) {
    if (!import_ok(s, m, &m->imports[i], &imports[i]))
      return wg_rt_fail(diags, WG_ERR_UNLINKABLE, "incompatible import type");
  }
  return WG_OK;
}

/* A new instance of `mod` with its index spaces and segment arrays
 * allocated and its types interned; NULL on out-of-memory. */
static WgInstance *alloc_instance(WgStore *s, WgWasmModule *mod) {
  const WgModule *m = mod->m;
  WgInstance *inst = wg_arena_zalloc(&s->arena, sizeof *inst);
  if (!inst) return NULL;
  inst->store = s;
  inst->mod = mod;
  if (!ZALLOC_ARRAY(s, inst->funcs, wg_module_total_funcs(m)) ||
      !ZALLOC_ARRAY(s, inst->tables, wg_module_total_tables(m)) ||
      !ZALLOC_ARRAY(s, inst->mems, wg_module_total_memories(m)) ||
      !ZALLOC_ARRAY(s, inst->globals, wg_module_total_globals(m)) ||
      !ZALLOC_ARRAY(s, inst->type_ids, m->type_count) ||
      !ZALLOC_ARRAY(s, inst->elems, m->elem_count) ||
      !ZALLOC_ARRAY(s, inst->datas, m->data_segment_count) ||
      !ZALLOC_ARRAY(s, inst->exports, m->export_count))
    return NULL;
  for (uint32_t i = 0; i < m->type_count; i++) {
    inst->type_ids[i] = wg_store_intern_type(s, &m->types[i]);
    if (inst->type_ids[i] == UINT32_MAX) return NULL;
  }
  return inst;
}

/* Fills the index spaces: the imports first, then the module's own
 * functions, tables, memories and globals (initialised). */
static WgStatus define_entities(WgStore *s, WgInstance *inst,
                                const WgExtern *imports, WgDiagList *diags) {
  WgWasmModule *mod = inst->mod;
  const WgModule *m = mod->m;
  uint32_t fi = 0, ti = 0, mi = 0, gi = 0;
  for (size_t i = 0; i < m->import_count; i++) {
    switch (m->imports[i].kind) {
      case WG_EXTERN_FUNC:
        inst->funcs[fi++] = imports[i].of.func;
        break;
      case WG_EXTERN_TABLE:
        inst->tables[ti++] = imports[i].of.table;
        break;
      case WG_EXTERN_MEMORY:
        inst->mems[mi++] = imports[i].of.memory;
        break;
      default:
        inst->globals[gi++] = imports[i].of.global;
        break;
    }
  }
  for (uint32_t i = 0; i < m->func_count; i++) {
    WgFuncInst *f = wg_store_new_func(s);
    if (!f) return wg_rt_fail(diags, WG_ERR_NOMEM, "out of memory");
    f->inst = inst;
    f->code = &mod->codes[i];
    f->type = &m->types[m->funcs[i].type_index];
    f->type_id = inst->type_ids[m->funcs[i].type_index];
    inst->funcs[fi++] = f;
  }
  for (uint32_t i = 0; i < m->table_count; i++) {
    const WgTableType *tt = &m->tables[i];
    inst->tables[ti] =
        wg_store_table_new(s, (WgValKind)tt->elem, &tt->limits, NULL);
    if (!inst->tables[ti++])
      return wg_rt_fail(diags, WG_ERR_LIMIT, "table too large");
  }
  for (uint32_t i = 0; i < m->memory_count; i++) {
    inst->mems[mi] = wg_store_memory_new(s, &m->memories[i].limits);
    if (!inst->mems[mi++])
      return wg_rt_fail(diags, WG_ERR_LIMIT, "memory too large");
  }
  inst->mem0 = wg_module_total_memories(m) ? inst->mems[0] : NULL;
  for (uint32_t i = 0; i < m->global_count; i++) {
    WgGlobalInst *g = wg_arena_zalloc(&s->arena, sizeof *g);
    if (!g) return wg_rt_fail(diags, WG_ERR_NOMEM, "out of memory");
    g->kind = (WgValKind)m->globals[i].type.type;
    g->is_mutable = m->globals[i].type.mutable_;
    if (!eval_const(inst, &m->globals[i].init, g->val))
      return wg_rt_fail(diags, WG_ERR_INVALID, "constant expression required");
    inst->globals[gi++] = g;
  }
  return WG_OK;
}

/* The externs of the exports, parallel to the module's export list. */
static void bind_exports(WgInstance *inst) {
  const WgModule *m = inst->mod->m;
  for (uint32_t i = 0; i < m->export_count; i++) {
    const WgExport *ex = &m->exports[i];
    WgExtern *e = &inst->exports[i];
    e->kind = (WgWasmExternKind)ex->kind;
    switch (ex->kind) {
      case WG_EXTERN_FUNC:
        e->of.func = inst->funcs[ex->index];
        break;
      case WG_EXTERN_TABLE:
        e->of.table = inst->tables[ex->index];
        break;
      case WG_EXTERN_MEMORY:
        e->of.memory = inst->mems[ex->index];
        break;
      default:
        e->of.global = inst->globals[ex->index];
        break;
    }
  }
}

/* Evaluates the references of every element segment and points the data
 * segments at the module's bytes. */
static WgStatus prepare_segments(WgStore *s, WgInstance *inst,
                                 WgDiagList *diags) {
  const WgModule *m = inst->mod->m;
  for (uint32_t i = 0; i < m->elem_count; i++) {
    const WgElemSegment *seg = &m->elems[i];
    WgElemInst *ei = &inst->elems[i];
    if (!ZALLOC_ARRAY(s, ei->refs, seg->count))
      return wg_rt_fail(diags, WG_ERR_NOMEM, "out of memory");
    for (uint32_t k = 0; k < seg->count; k++) {
      if (seg->func_indices) {
        ei->refs[k] = inst->funcs[seg->func_indices[k]];
      } else {
        WgSlot v[2];
        if (!eval_const(inst, &seg->exprs[k], v)) {
          return wg_rt_fail(diags, WG_ERR_INVALID,
                            "constant expression required");
        }
        ei->refs[k] = v[0].ref;
      }
    }
    ei->count = seg->count;
  }
  for (uint32_t i = 0; i < m->data_segment_count; i++) {
    inst->datas[i].bytes = m->datas[i].bytes;
    inst->datas[i].len = (uint32_t)m->datas[i].len;
  }
  return WG_OK;
}

/* Copies the active element segments into their tables, in order; drops
 * them and the declarative ones. */
static WgStatus apply_elem_segments(WgInstance *inst, WgDiagList *diags) {
  const WgModule *m = inst->mod->m;
  for (uint32_t i = 0; i < m->elem_count; i++) {
    const WgElemSegment *seg = &m->elems[i];
    WgElemInst *ei = &inst->elems[i];
    if (seg->mode == WG_SEGMENT_ACTIVE) {
      WgSlot off[2];
      if (!eval_const(inst, &seg->offset, off)) {
        return wg_rt_fail(diags, WG_ERR_INVALID,
                          "constant expression required");
      }
      WgTableInst *t = inst->tables[seg->table];
      uint64_t d = off[0].u32;
      if (d + ei->count > t->size) {
        return wg_rt_fail(diags, WG_ERR_TRAP, "out of bounds table access");
      }
      if (ei->count) memcpy(t->elems + d, ei->refs, sizeof(void *) * ei->count);
      ei->count = 0;
    } else if (seg->mode == WG_SEGMENT_DECLARATIVE) {
      ei->count = 0;
    }
  }
  return WG_OK;
}

/* Copies the active data segments into their memories, in order; drops
 * them. */
static WgStatus apply_data_segments(WgInstance *inst, WgDiagList *diags) {
  const WgModule *m = inst->mod->m;
  for (uint32_t i = 0; i < m->data_segment_count; i++) {
    const WgDataSegment *seg = &m->datas[i];
    if (seg->mode != WG_SEGMENT_ACTIVE) continue;
    WgSlot off[2];
    if (!eval_const(inst, &seg->offset, off)) {
      return wg_rt_fail(diags, WG_ERR_INVALID, "constant expression required");
    }
    WgMemInst *mm = inst->mems[seg->memory];
    uint64_t d = off[0].u32;
    if (d + seg->len > mm->size) {
      return wg_rt_fail(diags, WG_ERR_TRAP, "out of bounds memory access");
    }
    if (seg->len) memcpy(mm->data + d, seg->bytes, seg->len);
    inst->datas[i].len = 0;
  }
  return WG_OK;
}

/* Runs the start function, if any. */
static WgStatus run_start(WgStore *s, WgInstance *inst, WgDiagList *diags) {
  const WgModule *m = inst->mod->m;
  if (!m->has_start) return WG_OK;
  WgTrap *t = wg_func_call(s, inst->funcs[m->start], NULL, 0, NULL, 0);
  if (!t) return WG_OK;
  wg_rt_fail(diags, WG_ERR_TRAP, "%s", wg_trap_message(t));
  wg_trap_delete(t);
  return WG_ERR_TRAP;
}

WgStatus wg_instance_new(WgStore *s, WgWasmModule *mod, const WgExtern *imports,
                         size_t import_count, WgInstance **out,
                         WgDiagList *diags) {
  *out = NULL;
  if (!s || !mod || (import_count && !imports)) {
    return wg_rt_fail(diags, WG_ERR_MISUSE, "bad arguments");
  }
  WgStatus st = check_imports(s, mod->m, imports, import_count, diags);
  if (st != WG_OK) return st;
  WgInstance *inst = alloc_instance(s, mod);
  if (!inst) return wg_rt_fail(diags, WG_ERR_NOMEM, "out of memory");
  st = define_entities(s, inst, imports, diags);
  if (st != WG_OK) return st;
  bind_exports(inst);
  st = prepare_segments(s, inst, diags);
  if (st != WG_OK) return st;
  /* From here the store keeps the instance: a trap while initialising
   * leaves what the segments already wrote to imported tables and
   * memories, as the spec requires. */
  if (!wg_vec_reserve(&s->instances, 1))
    return wg_rt_fail(diags, WG_ERR_NOMEM, "out of memory");
  s->instances.items[s->instances.count++] = inst;
  atomic_fetch_add(&mod->refcount, 1);
  st = apply_elem_segments(inst, diags);
  if (st == WG_OK) st = apply_data_segments(inst, diags);
  if (st == WG_OK) st = run_start(s, inst, diags);
  if (st != WG_OK) return st;
  *out = inst;
  return WG_OK;
}

bool wg_instance_export(WgInstance *inst, WgStr name, WgExtern *out) {
  const WgModule *m = inst->mod->m;
  for (uint32_t i = 0; i < m->export_count; i++) {
    if (wg_str_eq(m->exports[i].name, name)) {
      if (out) *out = inst->exports[i];
      return true;
    }
  }
  return false;
}

size_t wg_instance_export_count(const WgInstance *inst) {
  return inst->mod->m->export_count;
}

void wg_instance_export_at(WgInstance *inst, size_t i, WgStr *out_name,
                           WgExtern *out) {
  if (out_name) *out_name = inst->mod->m->exports[i].name;
  if (out) *out = inst->exports[i];
}

WgTrap *wg_instance_call(WgStore *s, WgInstance *inst, WgStr name,
                         const WgVal *args, size_t nargs, WgVal *results,
                         size_t nresults) {
  WgExtern e;
  if (!inst || !wg_instance_export(inst, name, &e) ||
      e.kind != WG_WASM_EXTERN_FUNC)
    return wg_trap_make(WG_TRAP_MISUSE, "no such exported function");
  return wg_func_call(s, e.of.func, args, nargs, results, nresults);
}
