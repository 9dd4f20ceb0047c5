/* The one header generated C includes: the ABI plus every helper generated code may call. */
#ifndef KILN_H
#define KILN_H

#include "kiln_attrs.h"
#include "kiln_abi.h"
#include "kiln_trap.h"
#include "kiln_interrupt.h"
#include "kiln_limits.h"
#include "kiln_memory.h"
#include "kiln_loop.h"
#include "kiln_table.h"
#include "kiln_exception.h"
#include "kiln_numeric.h"
#include "kiln_simd.h"
#include "kiln_relaxed_simd.h"
#include "kiln_shared_memory.h"
#include "kiln_atomic.h"

#endif
