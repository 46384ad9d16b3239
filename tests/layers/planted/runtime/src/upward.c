/* planted: a layer that is not a dependency */
#include "witgen/wit.h"
