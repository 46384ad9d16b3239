/* planted: the CLI sees every public header */
#include "witgen/wit.h"
#include "vec.h"
