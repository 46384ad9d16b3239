/* SPDX-License-Identifier: Apache-2.0 */
/* C identifiers (the bottom of codegen/src, see c_types.h): snake case of
 * WIT identifiers, escaping of C keywords and standard macros, a set of
 * taken names that disambiguates collisions with `_2`, `_3`, ..., and the
 * assignment of interface prefixes (escalating short → long → versioned
 * forms). Knows nothing of the WIT model. The rules are documented in
 * docs/bindings.md ("Naming"). */
#ifndef WG_CODEGEN_C_NAMES_H
#define WG_CODEGEN_C_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#include "witgen/common.h"

/* Appends the snake case of WIT identifier `wit` (`-` → `_`, lower case)
 * to `out`, a NUL-terminated buffer of `cap` bytes holding `len` bytes.
 * Returns the new length (truncated to fit). */
size_t wg_names_snake(char *out, size_t cap, size_t len, WgStr wit);

/* True when `word` is a C keyword (C11/C23), a C++ keyword, or a standard
 * lowercase macro or C library name that would break as a member or
 * parameter name. */
bool wg_names_is_reserved(const char *word);

/* A bare word for a member/parameter: snake case, `_` appended when
 * reserved. Written to `out` (NUL-terminated, `cap` bytes). */
void wg_names_word(char *out, size_t cap, WgStr wit);

/* A set of taken C identifiers. Strings it returns are owned by the set
 * and live until wg_names_free(). */
typedef struct WgNames {
  char **slots; /* open addressing, NULL = empty */
  size_t cap, count;
  bool failed; /* out of memory happened */
} WgNames;

void wg_names_free(WgNames *self);

/* True when `name` is taken. */
bool wg_names_taken(const WgNames *self, const char *name);

/* Claims `candidate`, or `candidate_2`, `candidate_3`, ... (the first one
 * free) and returns the claimed name (owned by the set; NULL on OOM). */
const char *wg_names_claim(WgNames *self, const char *candidate);

/* Claims `candidate` exactly (for names that must not change, such as
 * fixed helper names). False when already taken or OOM. */
bool wg_names_reserve(WgNames *self, const char *candidate);

/* One interface (or the world) asking for a prefix. `forms` are the
 * candidate prefixes from shortest to longest (1 to 3 of them); `fixed`,
 * when not NULL, is a --rename override taking no part in escalation. */
#define WG_NAMES_MAX_FORMS 3
typedef struct WgPrefixRequest {
  const char *forms[WG_NAMES_MAX_FORMS];
  int form_count;
  const char *fixed;
} WgPrefixRequest;

/* Assigns a prefix to each of `n` requests: every request starts at its
 * shortest form; while two requests share a prefix, all of those that
 * have a longer form move to it. Ties left after the longest forms get
 * `_2`, `_3`, ... in request order. Results are claimed in `names` and
 * written to out[i]. False on OOM. */
bool wg_names_assign_prefixes(WgNames *names, const WgPrefixRequest *reqs,
                              size_t n, const char **out);

#endif
