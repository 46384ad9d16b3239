/* planted: a path out of the layer */
#include "../../runtime/src/ok.c"
