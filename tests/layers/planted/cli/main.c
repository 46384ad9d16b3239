/* planted: the CLI sees every public header */
#include "vec.h"
#include "witgen/wit.h"
