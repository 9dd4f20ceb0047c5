/* Numeric instructions whose C spelling differs from Wasm's: integer (traps, shifts, bit counts), float
 * (NaN, signed zero, rounding) and conversions. Operators that C gets right (u32 +, f64 *, ==) are emitted
 * inline by the code generator. */
#ifndef KILN_NUMERIC_H
#define KILN_NUMERIC_H

#include "kiln_integer.h"
#include "kiln_float.h"
#include "kiln_convert.h"

#endif
