// rapidjson_bench: RapidJSON DOM and SAX with the C++ standard library (Kiln benchmark corpus, real programs;
// a WASI command built without exceptions from the RapidJSON headers bundled in PyPI `python-rapidjson` 1.25,
// RapidJSON v1.1.0-763-g24b5e7a8).
//
//   rapidjson_bench [RECORDS [ROUNDS]]    default 3000 records, 60 rounds
//
// Generates RECORDS records (std::vector of structs holding std::strings, a std::vector of tags, integers and
// doubles), then ROUNDS times: builds a rapidjson::Document from them (objects, arrays, copied strings),
// serializes it (Writer, or PrettyWriter every third round) into a StringBuffer, parses the text back into a
// new Document (full-precision doubles on odd rounds), walks it (sums integers, hashes strings and the bits
// of doubles), runs a SAX pass (rapidjson::Reader with a handler) that counts keys in a
// std::unordered_map<std::string, int>, sorts the records by (score, name) with std::sort and rebuilds the
// records from the parsed Document with edits for the next round. Doubles are printed by RapidJSON's Grisu2
// (integer arithmetic), so the text is the same on every platform. Prints counts and a 64-bit FNV-1a
// checksum over every serialized text, the sorted order and the key counts.
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "rapidjson/document.h"
#include "rapidjson/prettywriter.h"
#include "rapidjson/reader.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace {

uint64_t rng_state = 0x243F6A8885A308D3ull;

uint64_t next_random() {  // xorshift64*
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545F4914F6CDD1Dull;
}

struct Fnv {
  uint64_t h = 0xCBF29CE484222325ull;
  void add(const void* data, size_t n) {
    const unsigned char* p = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001B3ull;
  }
  void add(const std::string& s) { add(s.data(), s.size()); }
  template <typename T> void value(T v) { add(&v, sizeof v); }
};

struct Record {
  int64_t id;
  std::string name;
  std::string city;
  double score;
  double weight;
  bool active;
  std::vector<std::string> tags;
  std::vector<int> counts;
};

const char* const syllables[] = {"ka", "lo", "mi", "ne", "ru", "ta", "shi", "vo", "zen", "qua", "\xc3\xa9", "\"q\"",
                                 "\\", "\t", "x"};
const char* const cities[] = {"Oslo", "Lima", "Kyoto", "Accra", "Quito", "Perth", "Turku", "Z\xc3\xbcrich"};

std::string make_word(int syllable_count) {
  std::string s;
  for (int i = 0; i < syllable_count; i++) s += syllables[next_random() % (sizeof syllables / sizeof syllables[0])];
  return s;
}

std::vector<Record> generate(int n) {
  std::vector<Record> records;
  records.reserve(n);
  for (int i = 0; i < n; i++) {
    Record r;
    uint64_t x = next_random();
    r.id = static_cast<int64_t>(x % 1000000) - 500000;
    r.name = make_word(2 + static_cast<int>((x >> 20) % 4));
    r.city = cities[(x >> 24) % 8];
    r.score = static_cast<double>(static_cast<int64_t>(next_random() % 2000000) - 1000000) / 1024.0;
    r.weight = static_cast<double>(next_random() % 1000000007) * 1e-7 + 1e-3;
    r.active = (x >> 30) & 1;
    int tags = static_cast<int>((x >> 32) % 5);
    for (int t = 0; t < tags; t++) r.tags.push_back(make_word(1 + t % 3));
    int counts = 1 + static_cast<int>((x >> 40) % 6);
    for (int c = 0; c < counts; c++) r.counts.push_back(static_cast<int>(next_random() % 20000) - 10000);
    records.push_back(std::move(r));
  }
  return records;
}

using namespace rapidjson;

void build(Document& doc, const std::vector<Record>& records, int round) {
  doc.SetObject();
  Document::AllocatorType& a = doc.GetAllocator();
  Value items(kArrayType);
  items.Reserve(static_cast<SizeType>(records.size()), a);
  for (const Record& r : records) {
    Value o(kObjectType);
    o.AddMember("id", Value(r.id), a);
    o.AddMember("name", Value(r.name.c_str(), static_cast<SizeType>(r.name.size()), a), a);
    o.AddMember("city", Value(r.city.c_str(), static_cast<SizeType>(r.city.size()), a), a);
    o.AddMember("score", Value(r.score), a);
    o.AddMember("weight", Value(r.weight), a);
    o.AddMember("active", Value(r.active), a);
    Value tags(kArrayType);
    for (const std::string& t : r.tags) tags.PushBack(Value(t.c_str(), static_cast<SizeType>(t.size()), a), a);
    o.AddMember("tags", tags, a);
    Value counts(kArrayType);
    for (int c : r.counts) counts.PushBack(Value(c), a);
    o.AddMember("counts", counts, a);
    if (r.id % 7 == 0) o.AddMember("extra", Value(kNullType), a);
    items.PushBack(o, a);
  }
  doc.AddMember("round", Value(round), a);
  doc.AddMember("items", items, a);
  Value meta(kObjectType);
  meta.AddMember("generator", "rapidjson_bench", a);
  meta.AddMember("ratio", Value(round / 7.0), a);
  doc.AddMember("meta", meta, a);
}

struct Walk {
  uint64_t ints = 0, nodes = 0;
  Fnv strings, doubles;
  void operator()(const Value& v) {
    nodes++;
    switch (v.GetType()) {
      case kObjectType:
        for (Value::ConstMemberIterator m = v.MemberBegin(); m != v.MemberEnd(); ++m) {
          strings.add(m->name.GetString(), m->name.GetStringLength());
          (*this)(m->value);
        }
        break;
      case kArrayType:
        for (const Value& item : v.GetArray()) (*this)(item);
        break;
      case kStringType: strings.add(v.GetString(), v.GetStringLength()); break;
      case kNumberType:
        if (v.IsInt64()) ints += static_cast<uint64_t>(v.GetInt64());
        else doubles.value(v.GetDouble());
        break;
      case kTrueType: ints += 3; break;
      case kFalseType: ints += 5; break;
      default: ints += 7; break;
    }
  }
};

// A SAX handler: counts every key and value kind.
struct KeyCounter : BaseReaderHandler<UTF8<>, KeyCounter> {
  std::unordered_map<std::string, int> keys;
  uint64_t values = 0, depth = 0, max_depth = 0;
  bool Key(const char* s, SizeType n, bool) { ++keys[std::string(s, n)]; return true; }
  bool Default() { values++; return true; }
  bool StartObject() { if (++depth > max_depth) max_depth = depth; return true; }
  bool EndObject(SizeType) { depth--; return true; }
  bool StartArray() { if (++depth > max_depth) max_depth = depth; return true; }
  bool EndArray(SizeType) { depth--; return true; }
};

std::vector<Record> rebuild(const Document& doc, int round) {
  std::vector<Record> records;
  const Value& items = doc["items"];
  records.reserve(items.Size());
  for (const Value& o : items.GetArray()) {
    Record r;
    r.id = o["id"].GetInt64() + (round % 3) - 1;
    r.name = std::string(o["name"].GetString(), o["name"].GetStringLength());
    r.city = o["city"].GetString();
    r.score = o["score"].GetDouble() * ((round & 1) ? 1.5 : 0.75);
    r.weight = o["weight"].GetDouble() + 0.001;
    r.active = !o["active"].GetBool();
    for (const Value& t : o["tags"].GetArray()) r.tags.emplace_back(t.GetString(), t.GetStringLength());
    if (r.tags.size() > 1) std::rotate(r.tags.begin(), r.tags.begin() + 1, r.tags.end());
    if ((r.id + round) % 9 == 0) r.tags.push_back(r.city);
    if (r.tags.size() > 6) r.tags.erase(r.tags.begin());
    for (const Value& c : o["counts"].GetArray()) r.counts.push_back((c.GetInt() * 3 + round) % 20011);
    records.push_back(std::move(r));
  }
  return records;
}

bool parse_count(const char* s, long min, long max, long* out) {
  char* end;
  long v = std::strtol(s, &end, 10);
  if (*s == 0 || *end != 0 || v < min || v > max) return false;
  *out = v;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  long count = 3000, rounds = 60;
  if (argc > 3 || (argc > 1 && !parse_count(argv[1], 1, 10000000, &count)) ||
      (argc > 2 && !parse_count(argv[2], 1, 1000000, &rounds))) {
    std::fprintf(stderr, "usage: rapidjson_bench [RECORDS [ROUNDS]]  (default 3000 60)\n");
    return 2;
  }
  std::vector<Record> records = generate(static_cast<int>(count));
  Fnv checksum;
  Walk walk;
  std::unordered_map<std::string, int> key_totals;
  uint64_t bytes = 0, sax_values = 0, max_depth = 0;
  for (long round = 0; round < rounds; round++) {
    Document doc;
    build(doc, records, static_cast<int>(round));
    StringBuffer text;
    if (round % 3 == 2) {
      PrettyWriter<StringBuffer> writer(text);
      writer.SetIndent(' ', 2);
      doc.Accept(writer);
    } else {
      Writer<StringBuffer> writer(text);
      doc.Accept(writer);
    }
    checksum.add(text.GetString(), text.GetSize());
    bytes += text.GetSize();

    Document parsed;
    if (round & 1) parsed.Parse<kParseFullPrecisionFlag>(text.GetString(), text.GetSize());
    else parsed.Parse(text.GetString(), text.GetSize());
    if (parsed.HasParseError()) {
      std::fprintf(stderr, "rapidjson_bench: round %ld: parse error %d at %zu\n", round,
                   static_cast<int>(parsed.GetParseError()), parsed.GetErrorOffset());
      return 1;
    }
    walk(parsed);

    KeyCounter counter;
    Reader reader;
    StringStream stream(text.GetString());
    if (!reader.Parse(stream, counter)) {
      std::fprintf(stderr, "rapidjson_bench: round %ld: SAX parse error\n", round);
      return 1;
    }
    sax_values += counter.values;
    max_depth = std::max(max_depth, counter.max_depth);
    for (const auto& kv : counter.keys) key_totals[kv.first] += kv.second;

    std::vector<std::pair<double, std::string>> order;
    order.reserve(records.size());
    for (const Record& r : records) order.emplace_back(r.score, r.name);
    std::sort(order.begin(), order.end());
    for (size_t i = 0; i < order.size(); i += 97) {
      checksum.value(order[i].first);
      checksum.add(order[i].second);
    }
    records = rebuild(parsed, static_cast<int>(round));
  }
  std::vector<std::pair<std::string, int>> keys(key_totals.begin(), key_totals.end());
  std::sort(keys.begin(), keys.end());
  for (const auto& kv : keys) {
    checksum.add(kv.first);
    checksum.value(kv.second);
  }
  std::printf("rapidjson: %ld records, %ld rounds, %" PRIu64 " bytes serialized\n", count, rounds, bytes);
  std::printf("walk: %" PRIu64 " nodes, int sum %016" PRIx64 ", strings %016" PRIx64 ", doubles %016" PRIx64 "\n",
              walk.nodes, walk.ints, walk.strings.h, walk.doubles.h);
  std::printf("sax: %" PRIu64 " values, depth %" PRIu64 ", %zu distinct keys\n", sax_values, max_depth, keys.size());
  std::printf("checksum: %016" PRIx64 "\n", checksum.h ^ walk.strings.h ^ (walk.doubles.h * 3));
  return 0;
}
