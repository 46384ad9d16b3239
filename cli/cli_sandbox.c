/* SPDX-License-Identifier: Apache-2.0 */
/* The sandbox options shared by `witgen run` and `witgen serve`: what a
 * guest may see (directories, environment, network) and its limits. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

const char CLI_SANDBOX_HELP[] =
    "  --dir HOST[::GUEST]     grant folder HOST, seen by the guest as GUEST\n"
    "                          (default: the same name); repeatable\n"
    "  --dir-ro HOST[::GUEST]  the same, read-only: no writes, creation,\n"
    "                          removal or renames\n"
    "  --env NAME=VALUE        set an environment variable; repeatable\n"
    "  --allow-net HOST:PORT   let the guest bind, connect or send to HOST\n"
    "                          (an IPv4 address, [IPv6], a name for HTTP, or "
    "*)\n"
    "                          on PORT (a number or *); repeatable "
    "(components)\n"
    "  --fuel N                stop with a trap after about N instructions\n"
    "  --max-memory-pages N    cap linear memory at N pages of 64 KiB\n"
    "  --max-call-depth N      cap nested calls (default 20000)\n"
    "  --time-limit MS         stop the guest after MS milliseconds\n"
    "                          (components)\n";

static bool parse_u64(const char *text, uint64_t *out) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(text, &end, 10);
  if (errno || end == text || *end || text[0] == '-') return false;
  *out = v;
  return true;
}

int cli_sandbox_option(CliSandbox *sb, int argc, char **argv, int *i) {
  static const char *const names[] = { "--dir",
                                       "--dir-ro",
                                       "--env",
                                       "--allow-net",
                                       "--fuel",
                                       "--max-memory-pages",
                                       "--max-call-depth",
                                       "--time-limit",
                                       NULL };
  const char *opt = argv[*i];
  bool known = false;
  for (const char *const *n = names; *n; n++)
    if (strcmp(opt, *n) == 0) known = true;
  if (!known) return 0;
  if (*i + 1 >= argc) return -cli_usage_error("option '%s' needs a value", opt);
  char *value = argv[++*i];
  uint64_t n;
  if (strcmp(opt, "--dir") == 0 || strcmp(opt, "--dir-ro") == 0) {
    if (sb->dir_count == CLI_MAX_ITEMS)
      return -cli_usage_error("too many %s", opt);
    char *sep = strstr(value, "::");
    if (sep) *sep = '\0';
    sb->dirs[sb->dir_count].host = value;
    sb->dirs[sb->dir_count].guest = sep ? sep + 2 : value;
    sb->dirs[sb->dir_count].read_only = strcmp(opt, "--dir-ro") == 0;
    if (!*value || (sep && !sep[2]))
      return -cli_usage_error("%s wants HOST[::GUEST]", opt);
    sb->dir_count++;
  } else if (strcmp(opt, "--env") == 0) {
    if (!strchr(value, '=') || value[0] == '=')
      return -cli_usage_error("--env wants NAME=VALUE, got '%s'", value);
    if (sb->env_count == CLI_MAX_ITEMS)
      return -cli_usage_error("too many --env");
    sb->envs[sb->env_count++] = value;
  } else if (strcmp(opt, "--allow-net") == 0) {
    if (!strchr(value, ':'))
      return -cli_usage_error("--allow-net wants HOST:PORT, got '%s'", value);
    if (sb->net_count == CLI_MAX_ITEMS)
      return -cli_usage_error("too many --allow-net");
    sb->nets[sb->net_count++] = value;
  } else if (strcmp(opt, "--fuel") == 0) {
    if (!parse_u64(value, &n) || n == 0)
      return -cli_usage_error("--fuel wants a positive number");
    sb->fuel = n;
  } else if (strcmp(opt, "--max-memory-pages") == 0) {
    if (!parse_u64(value, &n) || n == 0 || n > 65536)
      return -cli_usage_error("--max-memory-pages wants 1..65536");
    sb->max_memory_pages = (uint32_t)n;
  } else if (strcmp(opt, "--max-call-depth") == 0) {
    if (!parse_u64(value, &n) || n == 0 || n > 1000000)
      return -cli_usage_error("--max-call-depth wants 1..1000000");
    sb->max_call_depth = (uint32_t)n;
  } else {
    if (!parse_u64(value, &n) || n == 0 || n > 86400000)
      return -cli_usage_error("--time-limit wants 1..86400000 (milliseconds)");
    sb->time_limit_ms = n;
  }
  return 1;
}
