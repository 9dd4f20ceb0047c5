/* bytecode: a register-machine bytecode interpreter dispatching through a table of function pointers
 * (Kiln benchmark corpus, a WASI command).
 *
 *   bytecode [N]      run the bytecode program for n = 1..N (default 500000)
 *
 * Measures: indirect calls (call_indirect in wasm: every instruction is one call through `handlers`),
 * unpredictable branches, and loads and stores to a small register file in memory. The program, assembled
 * at start-up, computes for each n the number of Collatz steps to reach 1 (in a subroutine reached by CALL
 * and left by RET), keeps the total and the maximum, and folds every count into an FNV-style hash. About
 * 0.4 billion instructions are dispatched at the default N.
 *
 * Prints the hash, the total and maximum step counts, and the number of instructions dispatched.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

enum { HALT, LOADI, MOV, ADD, ADDI, MULI, XOR, ANDI, SHRI, JMP, JZ, JLT, JEQ, CALL, RET, OP_COUNT };

typedef struct {
  uint8_t op, a, b, c; /* registers */
  int32_t imm;         /* an immediate (sign-extended) or a jump target */
} insn;

typedef struct {
  uint64_t r[16];
  uint32_t stack[64]; /* return addresses */
  uint32_t sp;
} vm;

typedef uint32_t (*handler)(vm* m, const insn* i, uint32_t pc);

#define STOP 0xFFFFFFFFu

/* The handlers. R(x) is the register named by field x; IMM is the immediate, sign-extended to 64 bits. */
#define R(x) m->r[i->x]
#define IMM ((uint64_t)(int64_t)i->imm)
static uint32_t op_halt(vm* m, const insn* i, uint32_t pc) { (void)m, (void)i, (void)pc; return STOP; }
static uint32_t op_loadi(vm* m, const insn* i, uint32_t pc) { R(a) = IMM; return pc + 1; }
static uint32_t op_mov(vm* m, const insn* i, uint32_t pc) { R(a) = R(b); return pc + 1; }
static uint32_t op_add(vm* m, const insn* i, uint32_t pc) { R(a) = R(b) + R(c); return pc + 1; }
static uint32_t op_addi(vm* m, const insn* i, uint32_t pc) { R(a) = R(b) + IMM; return pc + 1; }
static uint32_t op_muli(vm* m, const insn* i, uint32_t pc) { R(a) = R(b) * IMM; return pc + 1; }
static uint32_t op_xor(vm* m, const insn* i, uint32_t pc) { R(a) = R(b) ^ R(c); return pc + 1; }
static uint32_t op_andi(vm* m, const insn* i, uint32_t pc) { R(a) = R(b) & IMM; return pc + 1; }
static uint32_t op_shri(vm* m, const insn* i, uint32_t pc) { R(a) = R(b) >> (i->imm & 63); return pc + 1; }
static uint32_t op_jmp(vm* m, const insn* i, uint32_t pc) { (void)m, (void)pc; return (uint32_t)i->imm; }
static uint32_t op_jz(vm* m, const insn* i, uint32_t pc) { return R(a) == 0 ? (uint32_t)i->imm : pc + 1; }
static uint32_t op_jlt(vm* m, const insn* i, uint32_t pc) { return R(a) < R(b) ? (uint32_t)i->imm : pc + 1; }
static uint32_t op_jeq(vm* m, const insn* i, uint32_t pc) { return R(a) == R(b) ? (uint32_t)i->imm : pc + 1; }
static uint32_t op_call(vm* m, const insn* i, uint32_t pc) {
  if (m->sp == 64) return STOP;
  m->stack[m->sp++] = pc + 1;
  return (uint32_t)i->imm;
}
static uint32_t op_ret(vm* m, const insn* i, uint32_t pc) {
  (void)i, (void)pc;
  return m->sp == 0 ? STOP : m->stack[--m->sp];
}
#undef R
#undef IMM

/* Not const: the dispatch below must stay an indirect call through this table. */
static handler handlers[OP_COUNT] = {op_halt, op_loadi, op_mov, op_add,  op_addi, op_muli, op_xor, op_andi,
                                     op_shri, op_jmp,   op_jz,  op_jlt,  op_jeq,  op_call, op_ret};

static insn program[64];
static uint32_t program_length;

static uint32_t emit(uint8_t op, uint8_t a, uint8_t b, uint8_t c, int32_t imm) {
  program[program_length] = (insn){op, a, b, c, imm};
  return program_length++;
}

/* Registers: r1 n, r2 N, r3 hash, r4 max steps, r5 total steps, r6 x, r7 steps, r8 the constant 1, r9 scratch. */
static void assemble(void) {
  emit(LOADI, 1, 0, 0, 1);
  emit(LOADI, 3, 0, 0, (int32_t)0x811C9DC5);
  emit(LOADI, 4, 0, 0, 0);
  emit(LOADI, 5, 0, 0, 0);
  emit(LOADI, 8, 0, 0, 1);
  uint32_t loop = emit(JLT, 2, 1, 0, -1); /* n > N: to the end (patched) */
  emit(MOV, 6, 1, 0, 0);
  emit(LOADI, 7, 0, 0, 0);
  uint32_t call = emit(CALL, 0, 0, 0, -1); /* to collatz (patched) */
  emit(ADD, 5, 5, 7, 0);
  emit(XOR, 3, 3, 7, 0);
  emit(MULI, 3, 3, 0, 16777619);
  uint32_t keep = emit(JLT, 7, 4, 0, -1); /* steps < max: skip the update (patched) */
  emit(MOV, 4, 7, 0, 0);
  program[keep].imm = (int32_t)emit(ADDI, 1, 1, 0, 1);
  emit(JMP, 0, 0, 0, (int32_t)loop);
  program[loop].imm = (int32_t)emit(HALT, 0, 0, 0, 0);

  uint32_t collatz = emit(JEQ, 6, 8, 0, -1); /* x == 1: return (patched) */
  program[call].imm = (int32_t)collatz;
  emit(ANDI, 9, 6, 0, 1);
  uint32_t odd = emit(JZ, 9, 0, 0, -1); /* even: (patched) */
  emit(MULI, 6, 6, 0, 3);
  emit(ADDI, 6, 6, 0, 1);
  emit(ADDI, 7, 7, 0, 1);
  emit(JMP, 0, 0, 0, (int32_t)collatz);
  program[odd].imm = (int32_t)emit(SHRI, 6, 6, 0, 1);
  emit(ADDI, 7, 7, 0, 1);
  emit(JMP, 0, 0, 0, (int32_t)collatz);
  program[collatz].imm = (int32_t)emit(RET, 0, 0, 0, 0);
}

int main(int argc, char** argv) {
  long n = argc > 1 ? strtol(argv[1], NULL, 10) : 500000;
  if (n < 1 || n > 100000000) {
    fprintf(stderr, "usage: bytecode [N], 1 <= N <= 100000000\n");
    return 2;
  }
  assemble();
  vm* m = calloc(1, sizeof(vm));
  if (m == NULL) return 1;
  m->r[2] = (uint64_t)n;

  uint64_t dispatched = 0;
  uint32_t pc = 0;
  while (pc < program_length) {
    const insn* i = &program[pc];
    pc = handlers[i->op](m, i, pc);
    dispatched++;
  }
  printf("bytecode: N=%ld, %" PRIu32 " instructions in the program\n", n, program_length);
  printf("total steps=%" PRIu64 " max steps=%" PRIu64 " dispatched=%" PRIu64 "\n", m->r[5], m->r[4], dispatched);
  printf("checksum: %016" PRIx64 "\n", m->r[3]);
  free(m);
  return 0;
}
