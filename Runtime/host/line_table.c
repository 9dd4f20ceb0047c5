/* DWARF line programs read into a sorted row table (kiln_line_table.h). Every read is checked against the
 * end of its bytes: an artifact may be corrupt, and describing a trap must not crash on it. */
#include "kiln_line_table.h"

#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  const u8* p;
  const u8* end;
  int failed;
} kiln_cursor;

static u64 kiln_read_fixed(kiln_cursor* c, unsigned bytes) {
  if (c->failed || (u64)(c->end - c->p) < bytes) {
    c->failed = 1;
    return 0;
  }
  u64 value = 0;
  for (unsigned i = 0; i < bytes; i++) value |= (u64)c->p[i] << (8 * i); /* DWARF of a little-endian ELF */
  c->p += bytes;
  return value;
}

static u64 kiln_read_uleb(kiln_cursor* c) {
  u64 value = 0;
  for (unsigned shift = 0;; shift += 7) {
    if (c->failed || c->p >= c->end) {
      c->failed = 1;
      return 0;
    }
    const u8 byte = *c->p++;
    if (shift < 64) value |= (u64)(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return value;
  }
}

static s64 kiln_read_sleb(kiln_cursor* c) {
  u64 value = 0;
  unsigned shift = 0;
  u8 byte;
  do {
    if (c->failed || c->p >= c->end) {
      c->failed = 1;
      return 0;
    }
    byte = *c->p++;
    if (shift < 64) value |= (u64)(byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80);
  if (shift < 64 && (byte & 0x40)) value |= ~(u64)0 << shift;
  return (s64)value;
}

static void kiln_skip(kiln_cursor* c, u64 bytes) {
  if (c->failed || (u64)(c->end - c->p) < bytes) {
    c->failed = 1;
    return;
  }
  c->p += bytes;
}

typedef struct {
  kiln_line_table* table;
  size_t room;
  int out_of_memory;
} kiln_rows;

/* A row at the same address as the sequence's previous one replaces it (the last one there is the one that
 * holds), so that within a sequence addresses strictly increase and only sequences can tie. */
static void kiln_add_row(kiln_rows* rows, u64 address, u64 line, int end, int sequence_start) {
  kiln_line_table* t = rows->table;
  if (!sequence_start && t->count > 0 && t->rows[t->count - 1].address == address && !t->rows[t->count - 1].end) {
    t->rows[t->count - 1] = (kiln_line_row){address, end ? 0 : (u32)line, (u32)end};
    return;
  }
  if (t->count == rows->room) {
    size_t room = rows->room ? rows->room * 2 : 1024;
    kiln_line_row* grown = realloc(t->rows, room * sizeof *grown);
    if (grown == NULL) {
      rows->out_of_memory = 1;
      return;
    }
    t->rows = grown;
    rows->room = room;
  }
  /* A line past 32 bits is no Wasm offset: as good as none. */
  t->rows[t->count++] = (kiln_line_row){address, end || line > UINT32_MAX ? 0 : (u32)line, (u32)end};
}

enum {
  DW_LNS_copy = 1, DW_LNS_advance_pc, DW_LNS_advance_line, DW_LNS_set_file, DW_LNS_set_column, DW_LNS_negate_stmt,
  DW_LNS_set_basic_block, DW_LNS_const_add_pc, DW_LNS_fixed_advance_pc, DW_LNS_set_prologue_end,
  DW_LNS_set_epilogue_begin, DW_LNS_set_isa
};
enum { DW_LNE_end_sequence = 1, DW_LNE_set_address = 2 };

/* One unit's line program, from its header to `unit.end`. */
static void kiln_run_program(kiln_cursor unit, kiln_rows* rows) {
  unsigned offset_size = 4;
  u64 length = kiln_read_fixed(&unit, 4);
  if (length == 0xffffffffu) {
    offset_size = 8;
    length = kiln_read_fixed(&unit, 8);
  }
  (void)length; /* the caller cut `unit` to it */
  const u64 version = kiln_read_fixed(&unit, 2);
  if (unit.failed || version < 2 || version > 5) return;
  if (version >= 5) kiln_skip(&unit, 2); /* address_size, segment_selector_size */
  const u64 header_length = kiln_read_fixed(&unit, offset_size);
  if (unit.failed || header_length > (u64)(unit.end - unit.p)) return;
  const u8* program = unit.p + header_length;
  const u64 minimum_instruction_length = kiln_read_fixed(&unit, 1);
  if (version >= 4) kiln_skip(&unit, 1); /* maximum_operations_per_instruction: VLIW only */
  const int default_is_stmt = (int)kiln_read_fixed(&unit, 1);
  (void)default_is_stmt;
  const s64 line_base = (s8)kiln_read_fixed(&unit, 1);
  const u64 line_range = kiln_read_fixed(&unit, 1);
  const u64 opcode_base = kiln_read_fixed(&unit, 1);
  if (unit.failed || line_range == 0 || opcode_base == 0 || (u64)(program - unit.p) < opcode_base - 1) return;
  const u8* standard_lengths = unit.p; /* the operand counts of standard opcodes 1 … opcode_base-1 */
  kiln_cursor c = {program, unit.end, 0};

  u64 address = 0, line = 1;
  int sequence_start = 1;
  while (!c.failed && c.p < c.end && !rows->out_of_memory) {
    const u8 opcode = *c.p++;
    if (opcode >= opcode_base) {
      const u64 adjusted = opcode - opcode_base;
      address += (adjusted / line_range) * minimum_instruction_length;
      line += (u64)(line_base + (s64)(adjusted % line_range));
      kiln_add_row(rows, address, line, 0, sequence_start);
      sequence_start = 0;
      continue;
    }
    switch (opcode) {
      case 0: {
        const u64 size = kiln_read_uleb(&c);
        if (c.failed || size == 0 || size > (u64)(c.end - c.p)) return;
        const u8 sub = *c.p;
        kiln_cursor operand = {c.p + 1, c.p + size, 0};
        c.p += size;
        if (sub == DW_LNE_end_sequence) {
          kiln_add_row(rows, address, 0, 1, sequence_start);
          address = 0;
          line = 1;
          sequence_start = 1;
        } else if (sub == DW_LNE_set_address) {
          const u64 bytes = (u64)(operand.end - operand.p);
          if (bytes == 4 || bytes == 8) address = kiln_read_fixed(&operand, (unsigned)bytes);
        } /* define_file, set_discriminator and vendor extensions: nothing a row needs */
        break;
      }
      case DW_LNS_copy:
        kiln_add_row(rows, address, line, 0, sequence_start);
        sequence_start = 0;
        break;
      case DW_LNS_advance_pc: address += kiln_read_uleb(&c) * minimum_instruction_length; break;
      case DW_LNS_advance_line: line += (u64)kiln_read_sleb(&c); break;
      case DW_LNS_const_add_pc: address += ((255 - opcode_base) / line_range) * minimum_instruction_length; break;
      case DW_LNS_fixed_advance_pc: address += kiln_read_fixed(&c, 2); break;
      default:
        /* set_file, set_column, negate_stmt, … and opcodes of later versions: skip their operands. */
        for (u8 i = 0; i < standard_lengths[opcode - 1]; i++) (void)kiln_read_uleb(&c);
        break;
    }
  }
}

/* By address; at one address a sequence's end before another's start, so the start is what covers it. */
static int kiln_by_address(const void* a, const void* b) {
  const kiln_line_row *x = a, *y = b;
  if (x->address != y->address) return x->address < y->address ? -1 : 1;
  return (int)y->end - (int)x->end;
}

int kiln_line_table_parse(const u8* section, u64 size, kiln_line_table* out) {
  memset(out, 0, sizeof *out);
  kiln_rows rows = {out, 0, 0};
  kiln_cursor c = {section, section + size, 0};
  while (!c.failed && c.p < c.end && !rows.out_of_memory) {
    const u8* start = c.p;
    u64 length = kiln_read_fixed(&c, 4);
    if (length == 0xffffffffu) length = kiln_read_fixed(&c, 8);
    else if (length >= 0xfffffff0u) break; /* reserved: nothing after it can be trusted */
    if (c.failed || length > (u64)(c.end - c.p)) break;
    kiln_run_program((kiln_cursor){start, c.p + length, 0}, &rows);
    c.p += length;
  }
  if (rows.out_of_memory) {
    kiln_line_table_free(out);
    return -1;
  }
  if (out->count > 1) qsort(out->rows, out->count, sizeof *out->rows, kiln_by_address);
  return 0;
}

int kiln_line_table_read_elf(const u8* file, u64 size, kiln_line_table* out) {
  memset(out, 0, sizeof *out);
  if (size < sizeof(Elf64_Ehdr)) return 0;
  const Elf64_Ehdr* header = (const Elf64_Ehdr*)file;
  if (memcmp(header->e_ident, ELFMAG, SELFMAG) != 0 || header->e_ident[EI_CLASS] != ELFCLASS64 ||
      header->e_ident[EI_DATA] != ELFDATA2LSB || header->e_shentsize != sizeof(Elf64_Shdr) || header->e_shoff > size ||
      (u64)header->e_shnum > (size - header->e_shoff) / sizeof(Elf64_Shdr) || header->e_shstrndx >= header->e_shnum)
    return 0;
  const Elf64_Shdr* sections = (const Elf64_Shdr*)(file + header->e_shoff);
  const Elf64_Shdr* names = &sections[header->e_shstrndx];
  if (names->sh_offset > size || names->sh_size > size - names->sh_offset) return 0;
  static const char wanted[] = ".debug_line";
  for (u32 s = 0; s < header->e_shnum; s++) {
    const Elf64_Shdr* section = &sections[s];
    if (section->sh_type != SHT_PROGBITS || section->sh_name >= names->sh_size ||
        names->sh_size - section->sh_name < sizeof wanted ||
        memcmp(file + names->sh_offset + section->sh_name, wanted, sizeof wanted) != 0)
      continue;
    /* Compressed (-gz) sections would need zlib: read as none. */
    if ((section->sh_flags & SHF_COMPRESSED) || section->sh_offset > size || section->sh_size > size - section->sh_offset)
      return 0;
    return kiln_line_table_parse(file + section->sh_offset, section->sh_size, out);
  }
  return 0;
}

u32 kiln_line_table_find(const kiln_line_table* table, u64 address) {
  if (table->count == 0 || address < table->rows[0].address) return 0;
  size_t low = 0, high = table->count;
  while (high - low > 1) {
    const size_t middle = low + (high - low) / 2;
    if (table->rows[middle].address <= address) low = middle;
    else high = middle;
  }
  return table->rows[low].end ? 0 : table->rows[low].line;
}

void kiln_line_table_free(kiln_line_table* table) {
  free(table->rows);
  table->rows = NULL;
  table->count = 0;
}
