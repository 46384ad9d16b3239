/* SPDX-License-Identifier: Apache-2.0 */
/* The guest of the semver test, built against demo:kv@0.2.3: run(k)
 * stores "v:" + k under k and gives back what the store then has. */
#include <stdlib.h>
#include <string.h>

#include "kv.h"

kv_string_t exports_kv_app_run(kv_string_t key) {
  kv_string_t value = { malloc(key.len + 2), key.len + 2 };
  memcpy(value.ptr, "v:", 2);
  memcpy(value.ptr + 2, key.ptr, key.len);
  kv_store_set(key, value);
  kv_option_string_t got = kv_store_get(key);
  kv_string_free(&key);
  kv_string_free(&value);
  if (got.is_some) return got.val;
  kv_string_t none;
  kv_string_set(&none, "missing");
  return none;
}
