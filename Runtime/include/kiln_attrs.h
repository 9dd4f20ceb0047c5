/* Compiler attributes shared by the runtime headers. Kept apart from kiln.h so that every header still
 * compiles on its own (kiln.h includes this first). */
#ifndef KILN_ATTRS_H
#define KILN_ATTRS_H

#ifndef __has_builtin
#define __has_builtin(x) 0
#endif

#define KILN_LIKELY(x) __builtin_expect(!!(x), 1)
#define KILN_UNLIKELY(x) __builtin_expect(!!(x), 0)
/* Each artifact carries its own runtime copy; hidden symbols keep those copies from interposing. */
#define KILN_HIDDEN __attribute__((visibility("hidden")))
#define KILN_UNUSED __attribute__((unused))

#endif
