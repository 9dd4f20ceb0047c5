/* The DWARF line-table reader behind backtrace code offsets (kiln_line_table.h): a hand-written program
 * whose rows are known, this test program's own table (it is built with -g), and damaged tables, which must
 * be read without a fault (the suite runs under ASan). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kiln_line_table.h"
#include "kt.h"

/* A DWARF 5 unit with 32-bit offsets, opcode_base 13, line_base -5, line_range 14, and an empty directory
 * and file list; its program: */
static const u8 kt_program[] = {
    /* sequence 1 at 0x1000: line 100 at 0x1000, line 130 at 0x1008, line 90 at 0x1010 (twice: the last one
     * at an address holds), end at 0x1020 */
    0x00, 0x09, 0x02, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* set_address 0x1000 */
    0x03, 0xe3, 0x00,                                                 /* advance_line +99 → 100 */
    0x01,                                                             /* copy */
    0x03, 0x1e,                                                       /* advance_line +30 → 130 */
    0x02, 0x08,                                                       /* advance_pc 8 */
    0x01,                                                             /* copy */
    0x03, 0x58,                                                       /* advance_line -40 → 90 */
    0x09, 0x08, 0x00,                                                 /* fixed_advance_pc 8 → 0x1010 */
    0x01,                                                             /* copy: line 90 */
    0x03, 0x7f,                                                       /* advance_line -1 → 89 */
    0x03, 0x01,                                                       /* advance_line +1 → 90 */
    0x05, 0x07,                                                       /* set_column 7 (skipped) */
    0x01,                                                             /* copy again at 0x1010 */
    0x02, 0x10,                                                       /* advance_pc 16 → 0x1020 */
    0x00, 0x01, 0x01,                                                 /* end_sequence */
    /* sequence 2 right after it, at 0x1020: a special opcode for line 7 at 0x1020, one for line 8 at 0x1022 */
    0x00, 0x09, 0x02, 0x20, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* set_address 0x1020 */
    0x03, 0x05,                                                       /* advance_line +5 → 6 */
    13 + (1 - -5) + 14 * 0,                                           /* special: line +1, address +0 → 7 */
    13 + (1 - -5) + 14 * 2,                                           /* special: line +1, address +2 → 8 */
    0x02, 0x04, 0x00, 0x01, 0x01,                                     /* advance_pc 4, end_sequence at 0x1026 */
};

/* The unit around kt_program: header, then the program. */
static size_t kt_unit(u8* out) {
  static const u8 header_rest[] = {
      1,  /* minimum_instruction_length */
      1,  /* maximum_operations_per_instruction */
      1,  /* default_is_stmt */
      0xfb, /* line_base -5 */
      14, /* line_range */
      13, /* opcode_base */
      0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1, /* standard_opcode_lengths */
      0,  /* directory_entry_format_count */
      0,  /* directories_count */
      0,  /* file_name_entry_format_count */
      0,  /* file_names_count */
  };
  size_t n = 0;
  const u32 header_length = sizeof header_rest;
  const u32 unit_length = 2 + 1 + 1 + 4 + header_length + sizeof kt_program;
  memcpy(out + n, &unit_length, 4), n += 4;
  out[n++] = 5, out[n++] = 0; /* version 5 */
  out[n++] = 8;               /* address_size */
  out[n++] = 0;               /* segment_selector_size */
  memcpy(out + n, &header_length, 4), n += 4;
  memcpy(out + n, header_rest, sizeof header_rest), n += sizeof header_rest;
  memcpy(out + n, kt_program, sizeof kt_program), n += sizeof kt_program;
  return n;
}

static void test_known_rows(kiln_ctx* ctx) {
  (void)ctx;
  u8 unit[256];
  const size_t size = kt_unit(unit);
  kiln_line_table table;
  CHECK_EQ(kiln_line_table_parse(unit, size, &table), 0);
  CHECK_EQ(kiln_line_table_find(&table, 0x0fff), 0);
  CHECK_EQ(kiln_line_table_find(&table, 0x1000), 100);
  CHECK_EQ(kiln_line_table_find(&table, 0x1007), 100);
  CHECK_EQ(kiln_line_table_find(&table, 0x1008), 130);
  CHECK_EQ(kiln_line_table_find(&table, 0x1010), 90);
  CHECK_EQ(kiln_line_table_find(&table, 0x101f), 90);
  /* The first sequence ends where the second starts: the second's row covers the address. */
  CHECK_EQ(kiln_line_table_find(&table, 0x1020), 7);
  CHECK_EQ(kiln_line_table_find(&table, 0x1021), 7);
  CHECK_EQ(kiln_line_table_find(&table, 0x1022), 8);
  CHECK_EQ(kiln_line_table_find(&table, 0x1025), 8);
  CHECK_EQ(kiln_line_table_find(&table, 0x1026), 0); /* past the end of the last sequence */
  kiln_line_table_free(&table);

  /* Two units back to back read as one table. */
  u8 twice[512];
  memcpy(twice, unit, size);
  memcpy(twice + size, unit, size);
  CHECK_EQ(kiln_line_table_parse(twice, 2 * size, &table), 0);
  CHECK_EQ(kiln_line_table_find(&table, 0x1008), 130);
  CHECK_EQ(kiln_line_table_find(&table, 0x1022), 8);
  kiln_line_table_free(&table);
}

/* The line of a function of this program, by its own line table. */
static const int kt_marked_line = __LINE__ + 1;
static __attribute__((noinline)) int kt_marked(int x) { return x * 3 + 1; }

static void test_own_table(kiln_ctx* ctx) {
  (void)ctx;
  CHECK_EQ(kt_marked(2), 7);
  int fd = open("/proc/self/exe", O_RDONLY);
  struct stat status;
  CHECK(fd >= 0 && fstat(fd, &status) == 0);
  if (fd < 0) return;
  const u8* file = mmap(NULL, (size_t)status.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  CHECK(file != MAP_FAILED);
  if (file == MAP_FAILED) return;
  Dl_info info;
  CHECK(dladdr((void*)kt_marked, &info) != 0);
  const Elf64_Ehdr* header = (const Elf64_Ehdr*)file;
  const u64 address = (u64)(uintptr_t)kt_marked - (header->e_type == ET_DYN ? (u64)(uintptr_t)info.dli_fbase : 0);
  kiln_line_table table;
  CHECK_EQ(kiln_line_table_read_elf(file, (u64)status.st_size, &table), 0);
  CHECK(table.count > 0);
  CHECK_EQ(kiln_line_table_find(&table, address), kt_marked_line);

  /* Damage to the real section: truncations, and bytes overwritten at positions spread over it. */
  const Elf64_Shdr* sections = (const Elf64_Shdr*)(file + header->e_shoff);
  const char* names = (const char*)file + sections[header->e_shstrndx].sh_offset;
  const u8* section = NULL;
  u64 size = 0;
  for (u32 i = 0; i < header->e_shnum; i++) {
    if (strcmp(names + sections[i].sh_name, ".debug_line") == 0) {
      section = file + sections[i].sh_offset;
      size = sections[i].sh_size;
    }
  }
  CHECK(section != NULL && size > 0);
  kiln_line_table damaged;
  for (u64 i = 0; i < 512 && section != NULL; i++) {
    CHECK_EQ(kiln_line_table_parse(section, size * i / 512, &damaged), 0);
    kiln_line_table_free(&damaged);
  }
  u8* copy = malloc(size ? size : 1);
  for (u64 i = 0; i < 256 && section != NULL && copy != NULL; i++) {
    memcpy(copy, section, size);
    const u64 at = size * i / 256;
    copy[at] = (u8)(copy[at] ^ (0x81u + i));
    CHECK_EQ(kiln_line_table_parse(copy, size, &damaged), 0);
    (void)kiln_line_table_find(&damaged, address);
    kiln_line_table_free(&damaged);
  }
  free(copy);
  kiln_line_table_free(&table);
  munmap((void*)file, (size_t)status.st_size);
}

static void test_damaged_units(kiln_ctx* ctx) {
  (void)ctx;
  u8 unit[256], copy[256];
  const size_t size = kt_unit(unit);
  kiln_line_table table;
  for (size_t cut = 0; cut <= size; cut++) {
    CHECK_EQ(kiln_line_table_parse(unit, cut, &table), 0);
    kiln_line_table_free(&table);
  }
  /* Every byte set to each of a few values that mean much to a reader: lengths, opcodes, LEB continuations. */
  static const u8 values[] = {0x00, 0x01, 0x02, 0x7f, 0x80, 0xff};
  for (size_t at = 0; at < size; at++) {
    for (size_t v = 0; v < sizeof values; v++) {
      memcpy(copy, unit, size);
      copy[at] = values[v];
      CHECK_EQ(kiln_line_table_parse(copy, size, &table), 0);
      (void)kiln_line_table_find(&table, 0x1010);
      kiln_line_table_free(&table);
    }
  }
  /* Not an ELF file, or one whose section headers lie: no rows, no fault. */
  CHECK_EQ(kiln_line_table_read_elf(unit, size, &table), 0);
  CHECK_EQ(table.count, 0);
  u8 elf[sizeof(Elf64_Ehdr)] = {0};
  Elf64_Ehdr* header = (Elf64_Ehdr*)elf;
  memcpy(header->e_ident, ELFMAG, SELFMAG);
  header->e_ident[EI_CLASS] = ELFCLASS64;
  header->e_ident[EI_DATA] = ELFDATA2LSB;
  header->e_shentsize = sizeof(Elf64_Shdr);
  header->e_shoff = 1u << 30;
  header->e_shnum = 4;
  CHECK_EQ(kiln_line_table_read_elf(elf, sizeof elf, &table), 0);
  CHECK_EQ(table.count, 0);
}

const kt_test kt_line_table_tests[] = {
    {"line table: known rows", test_known_rows},
    {"line table: this program's own", test_own_table},
    {"line table: damaged units", test_damaged_units},
    {NULL, NULL},
};
