// exceptions_bench: C++ that throws, for the Kiln benchmark corpus (real group). Per round it parses a
// batch of generated records in a small text format (about one in eight malformed: the parser throws from
// deep in its recursion and the batch goes on with the next record), evaluates each record's arithmetic in
// a tree-walking evaluator that throws on division by zero and overflow, wraps errors with context in a
// middle layer (or rethrows them as they are, `throw;`), keeps copies of some and throws them again later,
// and keeps RAII guards whose destructors run during unwinding. Deterministic: its own PRNG, no clocks or
// files. Ends with `checksum: <16 hex>`. (No std::exception_ptr or std::nested_exception: zig's libc++,
// built without exceptions, has neither working on wasm; see build.sh.)
//
//   exceptions_bench RECORDS ROUNDS     the workload
//   exceptions_bench throws N           N throw-catches across 5 frames (each with a destructor to run),
//                                       for the cost of one: time(N) - time(0), over N
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

uint64_t hash = 0xcbf29ce484222325ull;
void mix(uint64_t v) { hash = (hash ^ v) * 0x100000001b3ull; }
void mix(const std::string& s) {
  for (unsigned char c : s) mix(c);
  mix(s.size());
}

uint32_t seed = 0x2545f491u;
uint32_t rand(uint32_t n) {
  seed = seed * 1103515245u + 12345u;
  return (seed >> 1) % n;
}

long guards_live = 0, guards_made = 0;
struct Guard {
  explicit Guard(long tag) : tag(tag) { guards_live++, guards_made++; }
  ~Guard() { guards_live--, mix(static_cast<uint64_t>(tag)); }
  long tag;
};

struct ParseError : std::runtime_error {
  ParseError(const std::string& what, size_t at) : std::runtime_error(what), at(at) {}
  size_t at;
};
struct EvalError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct Overflow : EvalError {
  using EvalError::EvalError;
};
// An error with the context it happened in, and the message of the error it replaced.
struct ContextError : std::runtime_error {
  ContextError(const std::string& what, const std::string& cause) : std::runtime_error(what), cause(cause) {}
  std::string cause;
};

// An expression tree: numbers, + - * / and nesting.
struct Node {
  char op = 0;  // 0 for a number
  int64_t value = 0;
  std::unique_ptr<Node> left, right;
};

// record := name '=' expr ';'   expr := term (('+'|'-') term)*   term := atom (('*'|'/') atom)*
// atom := digits | '(' expr ')'
class Parser {
 public:
  explicit Parser(const std::string& text) : text_(text) {}
  std::pair<std::string, std::unique_ptr<Node>> record() {
    Guard guard(1);
    std::string name;
    while (pos_ < text_.size() && text_[pos_] >= 'a' && text_[pos_] <= 'z') name += text_[pos_++];
    if (name.empty()) throw ParseError("expected a name", pos_);
    expect('=');
    auto tree = expr(0);
    expect(';');
    return {name, std::move(tree)};
  }

 private:
  void expect(char c) {
    if (pos_ >= text_.size() || text_[pos_] != c) throw ParseError(std::string("expected '") + c + "'", pos_);
    pos_++;
  }
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  std::unique_ptr<Node> expr(int depth) {
    auto left = term(depth);
    while (peek() == '+' || peek() == '-') {
      auto node = std::make_unique<Node>();
      node->op = text_[pos_++];
      node->left = std::move(left);
      node->right = term(depth);
      left = std::move(node);
    }
    return left;
  }
  std::unique_ptr<Node> term(int depth) {
    auto left = atom(depth);
    while (peek() == '*' || peek() == '/') {
      auto node = std::make_unique<Node>();
      node->op = text_[pos_++];
      node->left = std::move(left);
      node->right = atom(depth);
      left = std::move(node);
    }
    return left;
  }
  std::unique_ptr<Node> atom(int depth) {
    Guard guard(depth);
    if (depth > 30) throw ParseError("nested too deeply", pos_);
    if (peek() == '(') {
      pos_++;
      auto inner = expr(depth + 1);
      expect(')');
      return inner;
    }
    if (peek() < '0' || peek() > '9') throw ParseError("expected a number", pos_);
    auto node = std::make_unique<Node>();
    while (peek() >= '0' && peek() <= '9') node->value = node->value * 10 + (text_[pos_++] - '0');
    return node;
  }

  const std::string& text_;
  size_t pos_ = 0;
};

int64_t evaluate(const Node& node) {
  if (node.op == 0) return node.value;
  int64_t a = evaluate(*node.left), b = evaluate(*node.right), r = 0;
  switch (node.op) {
    case '+': if (__builtin_add_overflow(a, b, &r)) throw Overflow("overflow in +"); return r;
    case '-': if (__builtin_sub_overflow(a, b, &r)) throw Overflow("overflow in -"); return r;
    case '*': if (__builtin_mul_overflow(a, b, &r)) throw Overflow("overflow in *"); return r;
    default:
      if (b == 0) throw EvalError("division by zero");
      return a / b;
  }
}

std::string randomExpression(int depth) {
  uint32_t r = rand(10);
  if (depth > 7 || r < 3) return std::to_string(rand(r == 0 ? 5 : 100000));
  if (r == 3) return "(" + randomExpression(depth + 1) + ")";
  static const char ops[] = "+-*/*";
  return randomExpression(depth + 1) + ops[rand(5)] + randomExpression(depth + 1);
}

std::string randomRecord(uint32_t i) {
  std::string name;
  for (uint32_t k = 0, n = 1 + rand(6); k < n; k++) name += static_cast<char>('a' + rand(26));
  std::string text = name + "=" + randomExpression(0) + ";";
  switch (rand(8)) {
    case 0: text.insert(rand(static_cast<uint32_t>(text.size())), 1, "#()+;"[rand(5)]); break;  // malformed
    case 1: if (i % 3 == 0) text = name + "=" + std::string(40, '(') + "1" + std::string(40, ')') + ";"; break;
    default: break;
  }
  return text;
}

// The middle layer: replaces what went wrong with an error naming the record, which keeps the original's message.
int64_t evaluateRecord(const std::string& text) {
  Parser parser(text);
  auto parsed = parser.record();
  try {
    Guard guard(2);
    return evaluate(*parsed.second);
  } catch (const Overflow&) {
    throw;  // overflows go up as they are
  } catch (const std::exception& e) {
    throw ContextError("in record " + parsed.first, e.what());
  }
}

void round(uint32_t records, uint32_t r) {
  uint64_t ok = 0, parse = 0, eval = 0, overflow = 0;
  std::vector<Overflow> deferred;
  for (uint32_t i = 0; i < records; i++) {
    std::string text = randomRecord(i);
    try {
      int64_t v = evaluateRecord(text);
      mix(static_cast<uint64_t>(v));
      ok++;
    } catch (const ParseError& e) {
      parse++;
      mix(e.at);
      mix(e.what());
    } catch (const Overflow& e) {
      overflow++;
      if (overflow % 4 == 0) deferred.push_back(e);
    } catch (const ContextError& e) {
      eval++;
      mix(e.what());
      mix(e.cause);
    }
  }
  for (auto& p : deferred) {
    try {
      throw p;
    } catch (const std::exception& e) {
      mix(e.what());
    }
  }
  mix(ok), mix(parse), mix(eval), mix(overflow), mix(r);
}

// Five frames, each with a guard, then a throw; caught above them.
[[gnu::noinline]] void down(int n, uint32_t value) {
  Guard guard(n);
  if (n == 0) throw EvalError(value % 2 ? "odd" : "even");
  down(n - 1, value);
  mix(value);  // not reached: keeps the call from being a tail call
}

int usage() {
  std::fprintf(stderr, "usage: exceptions_bench RECORDS ROUNDS | exceptions_bench throws N\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return usage();
  if (std::string(argv[1]) == "throws") {
    long n = std::atol(argv[2]);
    if (n < 0) return usage();
    long caught = 0;
    for (long i = 0; i < n; i++) {
      try {
        down(4, static_cast<uint32_t>(i));
      } catch (const EvalError& e) {
        caught += e.what()[0] == 'o';
      }
    }
    std::printf("throws: %ld, odd %ld, guards live %ld\n", n, caught, guards_live);
    return guards_live == 0 ? 0 : 1;
  }
  long records = std::atol(argv[1]), rounds = std::atol(argv[2]);
  if (records <= 0 || rounds <= 0) return usage();
  for (long r = 0; r < rounds; r++) round(static_cast<uint32_t>(records), static_cast<uint32_t>(r));
  std::printf("exceptions_bench: %ld records, %ld rounds, %ld guards made\n", records, rounds, guards_made);
  if (guards_live != 0) {
    std::printf("guards still live: %ld\n", guards_live);
    return 1;
  }
  std::printf("checksum: %016llx\n", static_cast<unsigned long long>(hash));
  return 0;
}
