/* SPDX-License-Identifier: Apache-2.0 */
/* C identifiers for the bindings: snake case, reserved-word escaping, a
 * hash set of taken identifiers and interface prefix escalation
 * (docs/bindings.md, "Naming"). */
#include "c_names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t wg_names_snake(char *out, size_t cap, size_t len, WgStr wit) {
  for (size_t i = 0; i < wit.len && len + 1 < cap; i++) {
    char c = wit.ptr[i];
    if (c == '%' && i == 0) continue; /* WIT's escape of keywords */
    if (c == '-' || c == '.' || c == ':' || c == '/' || c == '@' || c == '+')
      c = '_';
    else if (c >= 'A' && c <= 'Z')
      c = (char)(c - 'A' + 'a');
    out[len++] = c;
  }
  if (cap) out[len < cap ? len : cap - 1] = '\0';
  return len;
}

/* C11 and C23 keywords, lowercase macros of the standard headers the
 * generated code includes (a member named `errno` would expand), C library
 * names, and C++ keywords. */
static const char *const RESERVED[] = {
  "auto", "break", "case", "char", "const", "continue", "default", "do",
  "double", "else", "enum", "extern", "float", "for", "goto", "if", "inline",
  "int", "long", "register", "restrict", "return", "short", "signed", "sizeof",
  "static", "struct", "switch", "typedef", "union", "unsigned", "void",
  "volatile", "while", "bool", "true", "false", "nullptr", "alignas", "alignof",
  "static_assert", "thread_local", "typeof", "typeof_unqual", "constexpr",
  "asm", "errno", "assert", "offsetof", "stdin", "stdout", "stderr", "complex",
  "imaginary", "noreturn", "setjmp", "va_arg", "va_start", "va_end", "va_copy",
  "va_list", "NULL", "EOF", "I", "main", "free", "malloc", "realloc", "calloc",
  "abort", "memcpy", "memset", "size_t", "uint8_t", "uint16_t", "uint32_t",
  "uint64_t", "int8_t", "int16_t", "int32_t", "int64_t", "uintptr_t",
  /* C++ keywords, so that the header also compiles as C++ */
  "and", "and_eq", "bitand", "bitor", "catch", "char8_t", "char16_t",
  "char32_t", "class", "compl", "concept", "consteval", "constinit",
  "const_cast", "co_await", "co_return", "co_yield", "decltype", "delete",
  "dynamic_cast", "explicit", "export", "friend", "mutable", "namespace", "new",
  "noexcept", "not", "not_eq", "operator", "or", "or_eq", "private",
  "protected", "public", "reinterpret_cast", "requires", "static_cast",
  "template", "this", "throw", "try", "typeid", "typename", "using", "virtual",
  "wchar_t", "xor", "xor_eq", NULL
};

bool wg_names_is_reserved(const char *word) {
  for (const char *const *k = RESERVED; *k; k++)
    if (strcmp(*k, word) == 0) return true;
  return false;
}

void wg_names_word(char *out, size_t cap, WgStr wit) {
  size_t len = wg_names_snake(out, cap, 0, wit);
  if (wg_names_is_reserved(out) && len + 2 <= cap) {
    out[len] = '_';
    out[len + 1] = '\0';
  }
}

static uint64_t hash_str(const char *s) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (; *s; s++)
    h = (h ^ (uint8_t)*s) * 1099511628211ull;
  return h;
}

void wg_names_free(WgNames *self) {
  for (size_t i = 0; i < self->cap; i++)
    free(self->slots[i]);
  free(self->slots);
  memset(self, 0, sizeof *self);
}

static char **find_slot(const WgNames *self, const char *name) {
  size_t i = (size_t)hash_str(name) & (self->cap - 1);
  while (self->slots[i] && strcmp(self->slots[i], name) != 0)
    i = (i + 1) & (self->cap - 1);
  return &self->slots[i];
}

bool wg_names_taken(const WgNames *self, const char *name) {
  return self->cap && *find_slot(self, name) != NULL;
}

static bool grow(WgNames *self) {
  size_t cap = self->cap ? self->cap * 2 : 256;
  WgNames bigger = { calloc(cap, sizeof(char *)), cap, self->count, false };
  if (!bigger.slots) return false;
  for (size_t i = 0; i < self->cap; i++)
    if (self->slots[i]) *find_slot(&bigger, self->slots[i]) = self->slots[i];
  free(self->slots);
  *self = bigger;
  return true;
}

/* Inserts a copy of `name` (not yet in the set); returns it or NULL. */
static const char *insert(WgNames *self, const char *name) {
  if ((self->count + 1) * 2 > self->cap && !grow(self)) {
    self->failed = true;
    return NULL;
  }
  char *copy = strdup(name);
  if (!copy) {
    self->failed = true;
    return NULL;
  }
  *find_slot(self, name) = copy;
  self->count++;
  return copy;
}

bool wg_names_reserve(WgNames *self, const char *candidate) {
  if (wg_names_taken(self, candidate)) return false;
  return insert(self, candidate) != NULL;
}

const char *wg_names_claim(WgNames *self, const char *candidate) {
  if (!wg_names_taken(self, candidate)) return insert(self, candidate);
  size_t n = strlen(candidate);
  char *buf = malloc(n + 16);
  if (!buf) {
    self->failed = true;
    return NULL;
  }
  const char *got = NULL;
  for (unsigned k = 2;; k++) {
    snprintf(buf, n + 16, "%s_%u", candidate, k);
    if (!wg_names_taken(self, buf)) {
      got = insert(self, buf);
      break;
    }
  }
  free(buf);
  return got;
}

static const char *current(const WgPrefixRequest *r, const int *level) {
  return r->fixed ? r->fixed : r->forms[*level];
}

bool wg_names_assign_prefixes(WgNames *names, const WgPrefixRequest *reqs,
                              size_t n, const char **out) {
  int *level = calloc(n ? n : 1, sizeof(int));
  bool *up = calloc(n ? n : 1, sizeof(bool));
  bool ok = level && up;
  for (bool moved = ok; moved;) {
    moved = false;
    /* Mark every request that shares its prefix with another and can
     * still grow; then move all marked ones together. */
    for (size_t i = 0; i < n; i++) {
      up[i] = false;
      if (reqs[i].fixed || level[i] + 1 >= reqs[i].form_count) continue;
      for (size_t j = 0; j < n && !up[i]; j++)
        if (j != i && strcmp(current(&reqs[i], &level[i]),
                             current(&reqs[j], &level[j])) == 0)
          up[i] = true;
    }
    for (size_t i = 0; i < n; i++)
      if (up[i]) level[i]++, moved = true;
  }
  for (size_t i = 0; ok && i < n; i++) {
    out[i] = wg_names_claim(names, current(&reqs[i], &level[i]));
    ok = out[i] != NULL;
  }
  free(level);
  free(up);
  return ok;
}
