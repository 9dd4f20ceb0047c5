/* The DWARF line table of an artifact, reduced to what a backtrace needs: for a code address, the line it
 * was compiled from (host side only).
 *
 * Generated functions carry `#line OFFSET` before their statements (Sources/KilnLower/LineDirectives.swift)
 * and are compiled with -gline-tables-only -gno-inline-line-tables, so the line of an address inside one
 * is the offset, from the start of the function's body, of the Wasm instruction it came from, inlined
 * runtime helpers included (kiln_backtrace.c adds the body's module offset). The table is read only when a
 * trap is described: code that does not trap pays nothing. */
#ifndef KILN_LINE_TABLE_H
#define KILN_LINE_TABLE_H

#include "kiln_abi.h"
#include "kiln_attrs.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A row: from `address` up to the next row's, the code came from `line` (0: from no line, as for code the
 * compiler merged from several). `end` marks the first address after a sequence, covered by no row. */
typedef struct kiln_line_row {
  u64 address;
  u32 line;
  u32 end;
} kiln_line_row;

typedef struct kiln_line_table {
  kiln_line_row* rows; /* sorted by address */
  size_t count;
} kiln_line_table;

/* The rows of every line program in a .debug_line section (DWARF 2 to 5). The bytes may be anything: a
 * corrupt or truncated program ends the reading where it went wrong, keeping the rows before it. Returns -1
 * only when out of memory. */
KILN_HIDDEN int kiln_line_table_parse(const u8* section, u64 size, kiln_line_table* out);

/* The rows of the .debug_line section of the ELF image `file` (the whole file, `size` bytes); none when it
 * has no such section or the file is not a 64-bit ELF. */
KILN_HIDDEN int kiln_line_table_read_elf(const u8* file, u64 size, kiln_line_table* out);

/* The line of the code at `address`; 0 when no row covers it. */
KILN_HIDDEN u32 kiln_line_table_find(const kiln_line_table* table, u64 address);

KILN_HIDDEN void kiln_line_table_free(kiln_line_table* table);

#ifdef __cplusplus
}
#endif
#endif
