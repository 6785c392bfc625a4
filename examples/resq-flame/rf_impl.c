/* The one translation unit of the CLI that holds the header's implementation. */
#define RESQ_FLAME_IMPLEMENTATION
#include "resq_flame.h"
