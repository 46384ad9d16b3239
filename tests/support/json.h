/* SPDX-License-Identifier: Apache-2.0 */
/* A small strict JSON reader for test drivers (wast2json command files,
 * wit-parser's expected output). Objects keep their key order; numbers keep
 * their text so 64-bit integers stay exact. */
#ifndef WG_TEST_JSON_H
#define WG_TEST_JSON_H

#include <stdbool.h>
#include <stddef.h>

typedef enum JsonKind {
  JSON_NULL,
  JSON_BOOL,
  JSON_NUMBER,
  JSON_STRING,
  JSON_ARRAY,
  JSON_OBJECT,
} JsonKind;

typedef struct JsonValue JsonValue;
struct JsonValue {
  JsonKind kind;
  bool boolean;
  char *text; /* strings (decoded, NUL-terminated) and numbers (as written) */
  size_t len;
  JsonValue *items; /* array elements / object values */
  char **keys;      /* object keys, parallel to items */
  size_t count;
};

/* Parses `len` bytes. NULL on error, with a message (line and reason) in
 * `err`. Free with json_free(). */
JsonValue *json_parse(const char *text, size_t len, char *err, size_t err_size);
void json_free(JsonValue *value);

/* The member `key` of an object, or NULL. */
const JsonValue *json_get(const JsonValue *object, const char *key);
/* The string of member `key`, or NULL when absent or not a string. */
const char *json_get_str(const JsonValue *object, const char *key);
/* Structural equality (object member order ignored, numbers compared as
 * numbers when both parse as doubles exactly, else as text). */
bool json_equal(const JsonValue *a, const JsonValue *b);

#endif
