/* SPDX-License-Identifier: Apache-2.0 */
/* cmocka needs these headers first, in this order. */
#ifndef WG_TEST_CMOCKA_ALL_H
#define WG_TEST_CMOCKA_ALL_H
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
// clang-format on
#endif
