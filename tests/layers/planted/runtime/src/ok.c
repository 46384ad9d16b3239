/* planted: fine */
#include "vec.h"
#include "witgen/core_module.h"
