/* SPDX-License-Identifier: Apache-2.0 */
/* Instantiation (spec: Execution, 4.5.4 Instantiation): import checks,
 * allocation of functions, tables, memories and globals, constant
 * expressions, element and data segments, start function; plus calls into
 * instances from the embedder. */
#include <string.h>

#include "alloc.h"
#include "arena.h"
#include "leb128.h"
#include "rt.h"
#include "vec.h"

/* Section: constant expressions */

static bool eval_const(WgInstance *inst, const WgConstExpr *e, WgSlot out[2]) {
  WgSlot stack[8][2];
  int sp = 0;
  const uint8_t *p = e->code, *end = e->code + e->len;
  while (p < end) {
    uint8_t op = *p++;
    if (op == 0x0B) break;
    if (sp >= 8 && op != 0x6A && op != 0x6B && op != 0x6C && op != 0x7C &&
        op != 0x7D && op != 0x7E)
      return false;
    switch (op) {
      case 0x41: {
        int32_t v;
        if (!wg_leb_s32(&p, end, &v)) return false;
        stack[sp][0].u64 = (uint32_t)v;
        stack[sp++][1].u64 = 0;
        break;
      }
      case 0x42: {
        int64_t v;
        if (!wg_leb_s64(&p, end, &v)) return false;
        stack[sp][0].i64 = v;
        stack[sp++][1].u64 = 0;
        break;
      }
      case 0x43:
        if (end - p < 4) return false;
        stack[sp][0].u64 = 0;
        memcpy(&stack[sp][0], p, 4);
        stack[sp++][1].u64 = 0;
        p += 4;
        break;
      case 0x44:
        if (end - p < 8) return false;
        memcpy(&stack[sp][0], p, 8);
        stack[sp++][1].u64 = 0;
        p += 8;
        break;
      case 0xFD: {
        uint32_t sub;
        if (!wg_leb_u32(&p, end, &sub) || sub != 12 || end - p < 16)
          return false;
        memcpy(stack[sp++], p, 16);
        p += 16;
        break;
      }
      case 0xD0:
        p++;
        stack[sp][0].u64 = 0;
        stack[sp++][1].u64 = 0;
        break;
      case 0xD2: {
        uint32_t f;
        if (!wg_leb_u32(&p, end, &f)) return false;
        stack[sp][0].ref = inst->funcs[f];
        stack[sp++][1].u64 = 0;
        break;
      }
      case 0x23: {
        uint32_t g;
        if (!wg_leb_u32(&p, end, &g) || !inst->globals[g]) return false;
        stack[sp][0] = inst->globals[g]->val[0];
        stack[sp++][1] = inst->globals[g]->val[1];
        break;
      }
      case 0x6A:
      case 0x6B:
      case 0x6C:
      case 0x7C:
      case 0x7D:
      case 0x7E: {
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
        break;
      }
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

#define ALLOC_ARRAY(ptr, n)                                         \
  do {                                                              \
    (ptr) = wg_arena_zalloc(&s->arena, sizeof(*(ptr)) * ((n) + 1)); \
    if (!(ptr)) goto nomem;                                         \
  } while (0)

WgStatus wg_instance_new(WgStore *s, WgWasmModule *mod, const WgExtern *imports,
                         size_t import_count, WgInstance **out,
                         WgWasmError *err) {
  *out = NULL;
  if (!s || !mod || (import_count && !imports)) {
    wg_error_set(err, WG_ERR_MISUSE, "bad arguments");
    return WG_ERR_MISUSE;
  }
  const WgModule *m = mod->m;
  if (import_count != m->import_count) {
    wg_error_set(err, WG_ERR_UNLINKABLE, "unknown import");
    return WG_ERR_UNLINKABLE;
  }
  for (size_t i = 0; i < import_count; i++) {
    if (!import_ok(s, m, &m->imports[i], &imports[i])) {
      wg_error_set(err, WG_ERR_UNLINKABLE, "incompatible import type");
      return WG_ERR_UNLINKABLE;
    }
  }

  WgInstance *inst = wg_arena_zalloc(&s->arena, sizeof *inst);
  if (!inst) goto nomem;
  inst->store = s;
  inst->mod = mod;
  uint32_t nf = wg_module_total_funcs(m), nt = wg_module_total_tables(m),
           nm = wg_module_total_memories(m), ng = wg_module_total_globals(m);
  ALLOC_ARRAY(inst->funcs, nf);
  ALLOC_ARRAY(inst->tables, nt);
  ALLOC_ARRAY(inst->mems, nm);
  ALLOC_ARRAY(inst->globals, ng);
  ALLOC_ARRAY(inst->type_ids, m->type_count);
  ALLOC_ARRAY(inst->elems, m->elem_count);
  ALLOC_ARRAY(inst->datas, m->data_segment_count);
  ALLOC_ARRAY(inst->exports, m->export_count);
  for (uint32_t i = 0; i < m->type_count; i++) {
    inst->type_ids[i] = wg_store_intern_type(s, &m->types[i]);
    if (inst->type_ids[i] == UINT32_MAX) goto nomem;
  }
  uint32_t fi = 0, ti = 0, mi = 0, gi = 0;
  for (size_t i = 0; i < import_count; i++) {
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
    if (!f) goto nomem;
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
    if (!inst->tables[ti++]) {
      wg_error_set(err, WG_ERR_LIMIT, "table too large");
      return WG_ERR_LIMIT;
    }
  }
  for (uint32_t i = 0; i < m->memory_count; i++) {
    inst->mems[mi] = wg_store_memory_new(s, &m->memories[i].limits);
    if (!inst->mems[mi++]) {
      wg_error_set(err, WG_ERR_LIMIT, "memory too large");
      return WG_ERR_LIMIT;
    }
  }
  inst->mem0 = nm ? inst->mems[0] : NULL;
  for (uint32_t i = 0; i < m->global_count; i++) {
    WgGlobalInst *g = wg_arena_zalloc(&s->arena, sizeof *g);
    if (!g) goto nomem;
    g->kind = (WgValKind)m->globals[i].type.type;
    g->is_mutable = m->globals[i].type.mutable_;
    if (!eval_const(inst, &m->globals[i].init, g->val)) {
      wg_error_set(err, WG_ERR_INVALID, "constant expression required");
      return WG_ERR_INVALID;
    }
    inst->globals[gi++] = g;
  }
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
  for (uint32_t i = 0; i < m->elem_count; i++) {
    const WgElemSegment *seg = &m->elems[i];
    WgElemInst *ei = &inst->elems[i];
    ALLOC_ARRAY(ei->refs, seg->count);
    for (uint32_t k = 0; k < seg->count; k++) {
      if (seg->func_indices) {
        ei->refs[k] = inst->funcs[seg->func_indices[k]];
      } else {
        WgSlot v[2];
        if (!eval_const(inst, &seg->exprs[k], v)) {
          wg_error_set(err, WG_ERR_INVALID, "constant expression required");
          return WG_ERR_INVALID;
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
  if (!wg_vec_reserve(&s->instances, 1)) goto nomem;
  s->instances.items[s->instances.count++] = inst;
  atomic_fetch_add(&mod->refcount, 1);

  /* Active element segments, in order, then data segments. */
  for (uint32_t i = 0; i < m->elem_count; i++) {
    const WgElemSegment *seg = &m->elems[i];
    WgElemInst *ei = &inst->elems[i];
    if (seg->mode == WG_SEGMENT_ACTIVE) {
      WgSlot off[2];
      if (!eval_const(inst, &seg->offset, off)) {
        wg_error_set(err, WG_ERR_INVALID, "constant expression required");
        return WG_ERR_INVALID;
      }
      WgTableInst *t = inst->tables[seg->table];
      uint64_t d = off[0].u32;
      if (d + ei->count > t->size) {
        wg_error_set(err, WG_ERR_TRAP, "out of bounds table access");
        return WG_ERR_TRAP;
      }
      if (ei->count) memcpy(t->elems + d, ei->refs, sizeof(void *) * ei->count);
      ei->count = 0;
    } else if (seg->mode == WG_SEGMENT_DECLARATIVE) {
      ei->count = 0;
    }
  }
  for (uint32_t i = 0; i < m->data_segment_count; i++) {
    const WgDataSegment *seg = &m->datas[i];
    if (seg->mode != WG_SEGMENT_ACTIVE) continue;
    WgSlot off[2];
    if (!eval_const(inst, &seg->offset, off)) {
      wg_error_set(err, WG_ERR_INVALID, "constant expression required");
      return WG_ERR_INVALID;
    }
    WgMemInst *mm = inst->mems[seg->memory];
    uint64_t d = off[0].u32;
    if (d + seg->len > mm->size) {
      wg_error_set(err, WG_ERR_TRAP, "out of bounds memory access");
      return WG_ERR_TRAP;
    }
    if (seg->len) memcpy(mm->data + d, seg->bytes, seg->len);
    inst->datas[i].len = 0;
  }
  if (m->has_start) {
    WgTrap *t = wg_func_call(s, inst->funcs[m->start], NULL, 0, NULL, 0);
    if (t) {
      wg_error_set(err, WG_ERR_TRAP, "%s", wg_trap_message(t));
      wg_trap_delete(t);
      return WG_ERR_TRAP;
    }
  }
  *out = inst;
  return WG_OK;
nomem:
  wg_error_set(err, WG_ERR_NOMEM, "out of memory");
  return WG_ERR_NOMEM;
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
