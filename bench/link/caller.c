/* SPDX-License-Identifier: Apache-2.0 */
/* World `caller` of link.wit: loops over calls of `svc` (another
 * component), and the same copying done locally (the floor: what the
 * guests' own code costs, malloc/memcpy/free as the bindings and the
 * Canonical ABI do them for an echo across). */
#include <stdlib.h>
#include <string.h>

#include "caller.h"

void exports_linkbench_loops_nop(uint32_t n) {
  for (uint32_t i = 0; i < n; i++)
    linkbench_svc_nop();
}

/* A heap copy of what the host passed in (which may be in the ring of
 * ring.c, reused by the calls of the loop). */
static caller_string_t own_string(caller_string_t *s) {
  caller_string_t c = { malloc(s->len ? s->len : 1), s->len };
  if (!c.ptr) abort();
  memcpy(c.ptr, s->ptr, s->len);
  caller_string_free(s);
  return c;
}

static caller_list_u32_t own_list(caller_list_u32_t *l) {
  caller_list_u32_t c = { malloc(l->len ? l->len * sizeof *l->ptr : 1),
                          l->len };
  if (!c.ptr) abort();
  memcpy(c.ptr, l->ptr, l->len * sizeof *l->ptr);
  caller_list_u32_free(l);
  return c;
}

uint64_t exports_linkbench_loops_echo(caller_string_t s, uint32_t n) {
  uint64_t total = 0;
  s = own_string(&s);
  for (uint32_t i = 0; i < n; i++) {
    caller_string_t r = linkbench_svc_echo(s);
    total += r.len;
    caller_string_free(&r);
  }
  caller_string_free(&s);
  return total;
}

uint64_t exports_linkbench_loops_echo_list(caller_list_u32_t l, uint32_t n) {
  uint64_t total = 0;
  l = own_list(&l);
  for (uint32_t i = 0; i < n; i++) {
    caller_list_u32_t r = linkbench_svc_echo_list(l);
    total += r.len;
    caller_list_u32_free(&r);
  }
  caller_list_u32_free(&l);
  return total;
}

uint32_t exports_linkbench_loops_bump(uint32_t n) {
  linkbench_svc_counter_t c = linkbench_svc_counter_new(0);
  uint32_t v = 0;
  for (uint32_t i = 0; i < n; i++)
    v = linkbench_svc_counter_bump(linkbench_svc_borrow_counter(c), 1);
  linkbench_svc_counter_drop(c);
  return v;
}

/* One echo's copies without crossing: into the callee (its realloc), back
 * into the caller (its realloc), both freed. `volatile` keeps the copies. */
static void *volatile sink;

static uint64_t copies(const void *p, size_t bytes, uint32_t n) {
  uint64_t total = 0;
  for (uint32_t i = 0; i < n; i++) {
    void *a = malloc(bytes ? bytes : 1);
    memcpy(a, p, bytes);
    sink = a;
    void *b = malloc(bytes ? bytes : 1);
    memcpy(b, a, bytes);
    sink = b;
    free(a);
    total += bytes;
    free(b);
  }
  return total;
}

uint64_t exports_linkbench_loops_echo_local(caller_string_t s, uint32_t n) {
  uint64_t total = copies(s.ptr, s.len, n);
  caller_string_free(&s);
  return total;
}

uint64_t exports_linkbench_loops_echo_list_local(caller_list_u32_t l,
                                                 uint32_t n) {
  uint64_t total = copies(l.ptr, l.len * sizeof *l.ptr, n) / sizeof *l.ptr;
  caller_list_u32_free(&l);
  return total;
}
