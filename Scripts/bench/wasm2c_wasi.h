/* The WASI preview1 host that the wasm2c peer of `make bench` links with a module translated by wasm2c 1.0.32
 * (Debian `wabt`). In 1.0.32 every import is a C function named Z_<module>Z_<name> that takes a pointer to the
 * import module's instance first; this is that instance: the guest's memory (set after instantiation, from
 * the module's `memory` export) and the command line. Only the benchmark corpus's imports are implemented.
 */
#ifndef WASM2C_WASI_H
#define WASM2C_WASI_H

#include "wasm-rt.h"

#ifndef WASM_RT_CORE_TYPES_DEFINED /* as the generated header defines them */
#define WASM_RT_CORE_TYPES_DEFINED
typedef uint8_t u8;
typedef int8_t s8;
typedef uint16_t u16;
typedef int16_t s16;
typedef uint32_t u32;
typedef int32_t s32;
typedef uint64_t u64;
typedef int64_t s64;
typedef float f32;
typedef double f64;
#endif

struct Z_wasi_snapshot_preview1_instance_t {
  wasm_rt_memory_t* memory;
  int argc;
  char** argv;
};

#endif
