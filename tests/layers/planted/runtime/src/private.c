/* planted: another layer's private header */
#include "wit_internal.h"
