/* SPDX-License-Identifier: Apache-2.0 */
/* The byte values of the component binary format (Binary.md), spelled once
 * for the decoder (cdecode.c), the encoder (cencode.c) and the validator.
 * Sorts, bounds and primitive value types are public (WgCSort, WgCBound,
 * WgCPrim in witgen/component_binary.h); these are the rest. */
#ifndef WG_BINARY_COMPONENT_CFORMAT_H
#define WG_BINARY_COMPONENT_CFORMAT_H

/* Section ids. */
enum {
  WG_CSEC_CUSTOM = 0,
  WG_CSEC_CORE_MODULE = 1,
  WG_CSEC_CORE_INSTANCE = 2,
  WG_CSEC_CORE_TYPE = 3,
  WG_CSEC_COMPONENT = 4,
  WG_CSEC_INSTANCE = 5,
  WG_CSEC_ALIAS = 6,
  WG_CSEC_TYPE = 7,
  WG_CSEC_CANON = 8,
  WG_CSEC_START = 9,
  WG_CSEC_IMPORT = 10,
  WG_CSEC_EXPORT = 11,
  WG_CSEC_VALUE = 12,
};

/* Type constructors (`defvaltype`, `functype`, `componenttype`, ...). */
enum {
  WG_COP_RECORD = 0x72,
  WG_COP_VARIANT = 0x71,
  WG_COP_LIST = 0x70,
  WG_COP_TUPLE = 0x6f,
  WG_COP_FLAGS = 0x6e,
  WG_COP_ENUM = 0x6d,
  WG_COP_OPTION = 0x6b,
  WG_COP_RESULT = 0x6a,
  WG_COP_OWN = 0x69,
  WG_COP_BORROW = 0x68,
  WG_COP_FIXED_LIST = 0x67,
  WG_COP_STREAM = 0x66,
  WG_COP_FUTURE = 0x65,
  WG_COP_MAP = 0x63,
  WG_COP_FUNC = 0x40,
  WG_COP_COMPONENT = 0x41,
  WG_COP_INSTANCE = 0x42,
  WG_COP_ASYNC_FUNC = 0x43,
  WG_COP_RESOURCE = 0x3f,
  WG_COP_CORE_FUNC = 0x60,   /* core:functype */
  WG_COP_CORE_MODULE = 0x50, /* core:moduletype */
};

/* Declarators of component and instance types. */
enum {
  WG_CDECL_TAG_CORE_TYPE = 0x00,
  WG_CDECL_TAG_TYPE = 0x01,
  WG_CDECL_TAG_ALIAS = 0x02,
  WG_CDECL_TAG_IMPORT = 0x03,
  WG_CDECL_TAG_EXPORT = 0x04,
};

/* Canonical options. */
enum {
  WG_COPT_UTF8 = 0x00,
  WG_COPT_UTF16 = 0x01,
  WG_COPT_LATIN1_UTF16 = 0x02,
  WG_COPT_MEMORY = 0x03,
  WG_COPT_REALLOC = 0x04,
  WG_COPT_POST_RETURN = 0x05,
  WG_COPT_ASYNC = 0x06,
  WG_COPT_CALLBACK = 0x07,
};

#endif
