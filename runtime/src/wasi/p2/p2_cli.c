/* SPDX-License-Identifier: Apache-2.0 */
/* wasi:cli: environment (the granted arguments and variables only), exit,
 * stdio streams on the configured host descriptors, and the terminal
 * interfaces (a terminal resource when the descriptor is a tty). */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "p2.h"

#define CTX_OR_TRAP(c)     \
  P2Ctx *c = p2_ctx(call); \
  if (!c) return p2_trap("wasi: no WASI context for this store")

static char *dup_str(const char *s, size_t *len) {
  *len = strlen(s);
  char *d = malloc(*len ? *len : 1);
  if (d) memcpy(d, s, *len);
  return d;
}

static WgTrap *get_environment(void *ctx, WgCCall *call,
                               wasip2_list_tuple2_string_string_t *ret) {
  CTX_OR_TRAP(c);
  const WgWasi2 *w = c->wasi;
  ret->len = w->env_count;
  ret->ptr = calloc(w->env_count ? w->env_count : 1, sizeof *ret->ptr);
  if (!ret->ptr) return p2_trap("wasi: out of memory");
  for (size_t i = 0; i < w->env_count; i++) {
    ret->ptr[i].f0.ptr =
        (uint8_t *)dup_str(w->env_keys[i], &ret->ptr[i].f0.len);
    ret->ptr[i].f1.ptr =
        (uint8_t *)dup_str(w->env_values[i], &ret->ptr[i].f1.len);
    if (!ret->ptr[i].f0.ptr || !ret->ptr[i].f1.ptr) {
      wasip2_list_tuple2_string_string_free(ret);
      return p2_trap("wasi: out of memory");
    }
  }
  return NULL;
}

static WgTrap *get_arguments(void *ctx, WgCCall *call,
                             wasip2_list_string_t *ret) {
  CTX_OR_TRAP(c);
  const WgWasi2 *w = c->wasi;
  ret->len = w->arg_count;
  ret->ptr = calloc(w->arg_count ? w->arg_count : 1, sizeof *ret->ptr);
  if (!ret->ptr) return p2_trap("wasi: out of memory");
  for (size_t i = 0; i < w->arg_count; i++) {
    ret->ptr[i].ptr = (uint8_t *)dup_str(w->args[i], &ret->ptr[i].len);
    if (!ret->ptr[i].ptr) {
      wasip2_list_string_free(ret);
      return p2_trap("wasi: out of memory");
    }
  }
  return NULL;
}

static WgTrap *initial_cwd(void *ctx, WgCCall *call,
                           wasip2_option_string_t *ret) {
  ret->is_some = false; /* no working directory is granted */
  return NULL;
}

const p2_cli_environment_impl_t p2_environment_impl = {
  .get_environment = get_environment,
  .get_arguments = get_arguments,
  .initial_cwd = initial_cwd,
};

static WgTrap *exit_fn(void *ctx, WgCCall *call,
                       wasip2_result_void_void_t status) {
  return wg_trap_new_exit(status.is_err ? 1 : 0);
}

static WgTrap *exit_with_code(void *ctx, WgCCall *call, uint8_t code) {
  return wg_trap_new_exit(code);
}

const p2_cli_exit_impl_t p2_exit_impl = {
  .exit = exit_fn,
  .exit_with_code = exit_with_code,
};

/* The stream object of stdio descriptor `i` (made once per context). */
static P2Stream *stdio_stream(P2Ctx *c, int i) {
  if (!c->stdio_streams[i]) {
    int fd = c->wasi->stdio[i];
    P2Type dir = i == 0 ? P2_INPUT : P2_OUTPUT;
    c->stdio_streams[i] =
        p2_stream_new(dir, fd >= 0 ? P2S_STDIO : P2S_EMPTY, fd, NULL);
  }
  return c->stdio_streams[i];
}

static WgTrap *get_stdio(WgCCall *call, int i, uint32_t *rep) {
  CTX_OR_TRAP(c);
  P2Stream *s = stdio_stream(c, i);
  *rep = s ? p2_add(c, p2_ref(&s->base)) : 0;
  return *rep ? NULL : p2_trap("wasi: out of memory");
}

static WgTrap *get_stdin(void *ctx, WgCCall *call,
                         p2_io_streams_input_stream_t *ret) {
  return get_stdio(call, 0, &ret->rep);
}

static WgTrap *get_stdout(void *ctx, WgCCall *call,
                          p2_io_streams_output_stream_t *ret) {
  return get_stdio(call, 1, &ret->rep);
}

static WgTrap *get_stderr(void *ctx, WgCCall *call,
                          p2_io_streams_output_stream_t *ret) {
  return get_stdio(call, 2, &ret->rep);
}

const p2_cli_stdin_impl_t p2_stdin_impl = { .get_stdin = get_stdin };
const p2_cli_stdout_impl_t p2_stdout_impl = { .get_stdout = get_stdout };
const p2_cli_stderr_impl_t p2_stderr_impl = { .get_stderr = get_stderr };

/* Section: terminals */

typedef struct P2Terminal {
  P2Obj base;
} P2Terminal;

static void terminal_free(P2Obj *o) {
  free(o);
}

static uint32_t terminal_new(P2Ctx *c, int i) {
  int fd = c->wasi->stdio[i];
  if (fd < 0 || !isatty(fd)) return 0;
  P2Terminal *t = calloc(1, sizeof *t);
  if (!t) return 0;
  p2_obj_init(&t->base, i == 0 ? P2_TERM_IN : P2_TERM_OUT, terminal_free);
  return p2_add(c, &t->base);
}

static WgTrap *
terminal_input_destructor(void *ctx,
                          p2_cli_terminal_input_terminal_input_t self) {
  p2_drop(self.rep);
  return NULL;
}

static WgTrap *
terminal_output_destructor(void *ctx,
                           p2_cli_terminal_output_terminal_output_t self) {
  p2_drop(self.rep);
  return NULL;
}

const p2_cli_terminal_input_impl_t p2_terminal_input_impl = {
  .terminal_input_destructor = terminal_input_destructor,
};
const p2_cli_terminal_output_impl_t p2_terminal_output_impl = {
  .terminal_output_destructor = terminal_output_destructor,
};

static WgTrap *
get_terminal_stdin(void *ctx, WgCCall *call,
                   wasip2_option_p2_cli_terminal_input_terminal_input_t *ret) {
  CTX_OR_TRAP(c);
  ret->val.rep = terminal_new(c, 0);
  ret->is_some = ret->val.rep != 0;
  return NULL;
}

static WgTrap *get_terminal_stdout(
    void *ctx, WgCCall *call,
    wasip2_option_p2_cli_terminal_output_terminal_output_t *ret) {
  CTX_OR_TRAP(c);
  ret->val.rep = terminal_new(c, 1);
  ret->is_some = ret->val.rep != 0;
  return NULL;
}

static WgTrap *get_terminal_stderr(
    void *ctx, WgCCall *call,
    wasip2_option_p2_cli_terminal_output_terminal_output_t *ret) {
  CTX_OR_TRAP(c);
  ret->val.rep = terminal_new(c, 2);
  ret->is_some = ret->val.rep != 0;
  return NULL;
}

const p2_cli_terminal_stdin_impl_t p2_terminal_stdin_impl = {
  .get_terminal_stdin = get_terminal_stdin,
};
const p2_cli_terminal_stdout_impl_t p2_terminal_stdout_impl = {
  .get_terminal_stdout = get_terminal_stdout,
};
const p2_cli_terminal_stderr_impl_t p2_terminal_stderr_impl = {
  .get_terminal_stderr = get_terminal_stderr,
};
