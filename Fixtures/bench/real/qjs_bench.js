var N = typeof N === "number" ? N : 10; // rounds: `qjs -e "var N=1" -e "$(cat qjs_bench.js)"` runs one
// qjs_bench: an interpreter benchmark mix for QuickJS (Kiln benchmark corpus, real programs).
// Run as `qjs -e "$(cat qjs_bench.js)"`; a preceding `-e "var N=..."` sets the number of rounds (default 10).
// Each round runs object and array code (records built, sorted, grouped), string building (template
// literals, split/join, replace with a callback, padStart), closures and higher-order functions, classes
// with inheritance and getters, Map and Set, JSON.stringify and JSON.parse, regular expressions, typed arrays
// and numeric loops. Deterministic (its own PRNG; no Date, no Math.random) and prints
// `checksum: <16 hex>`, a pair of 32-bit FNV-1a hashes over everything computed.

var h1 = 0x811c9dc5 | 0, h2 = 0x12345678 | 0;
function mixInt(v) {
  h1 = Math.imul(h1 ^ (v & 0xffff), 0x01000193);
  h1 = Math.imul(h1 ^ ((v >>> 16) & 0xffff), 0x01000193);
  h2 = Math.imul(h2 ^ (v | 0), 0x5bd1e995) ^ (h2 >>> 13);
}
var f64 = new Float64Array(1), u32 = new Uint32Array(f64.buffer);
function mix(v) {
  if (typeof v === "number") {
    if (Number.isInteger(v) && Math.abs(v) < 4294967296) { mixInt(v | 0); mixInt(Math.floor(v / 4294967296)); }
    else { f64[0] = v; mixInt(u32[0]); mixInt(u32[1]); }
  } else if (typeof v === "string") {
    for (var i = 0; i < v.length; i++) mixInt(v.charCodeAt(i));
    mixInt(v.length);
  } else if (typeof v === "boolean") {
    mixInt(v ? 1 : 2);
  } else {
    mix(String(v));
  }
}

var seed = 0x2545f491;
function rand(n) { // a 31-bit linear congruential generator
  seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
  return seed % n;
}

function objectsAndArrays(round) {
  var records = [];
  for (var i = 0; i < 4000; i++) {
    records.push({ id: i, key: "k" + rand(97), value: rand(100000) - 50000, weight: rand(1000) / 8, tags: [rand(10), rand(10)] });
  }
  records.sort(function (a, b) { return a.value - b.value || a.id - b.id; });
  var groups = {};
  for (var r of records) {
    var g = groups[r.key] || (groups[r.key] = { n: 0, sum: 0, wsum: 0 });
    g.n++; g.sum += r.value; g.wsum += r.weight;
  }
  for (var k of Object.keys(groups).sort()) { mix(k); mix(groups[k].n); mix(groups[k].sum); mix(groups[k].wsum); }
  var evens = records.filter(function (r) { return r.value % 2 === 0; }).map(function (r) { return r.id * round; });
  mix(evens.reduce(function (a, b) { return (a + b) % 1000000007; }, 0));
  var flat = records.slice(0, 500).flatMap(function (r) { return r.tags; });
  mix(flat.indexOf(7)); mix(flat.lastIndexOf(3)); mix(flat.length);
  var spread = [...flat.slice(0, 50), ...evens.slice(0, 50)];
  mix(spread.join(","));
  var copy = records.map(function (r) { return Object.assign({}, r, { value: r.value + round }); });
  var { id, value } = copy[copy.length - 1];
  mix(id); mix(value);
}

var words = ["lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed", "do"];
function strings(round) {
  var parts = [];
  for (var i = 0; i < 2500; i++) {
    var w = words[rand(words.length)];
    parts.push(`${w}-${i}:${((i * round) % 4096).toString(16)}`);
  }
  var text = parts.join(" ");
  var upper = text.replace(/[a-z]+/g, function (w) { return w.length > 4 ? w.toUpperCase() : w; });
  var swapped = upper.replace(/(\w+)-(\d+)/g, "$2=$1");
  mix(swapped.length); mix(swapped.slice(0, 300));
  var found = 0, re = /amet-(\d+)/g, m;
  while ((m = re.exec(text)) !== null) found += +m[1];
  mix(found);
  var fields = text.split(" ").map(function (p) { return p.split(":")[1].padStart(4, "0"); });
  mix(fields.join("").length); mix(fields[round % fields.length]);
  var codes = 0;
  for (var j = 0; j < text.length; j += 7) codes += text.charCodeAt(j);
  mix(codes);
  mix(text.includes("sed-1" + round)); mix(text.indexOf("elit")); mix("abc".repeat(round % 7).toUpperCase());
}

function counter(step) { var n = 0; return function () { n += step; return n; }; }
function closures(round) {
  var xs = Array.from({ length: 6000 }, function (_, i) { return i + round; });
  var odd = xs.map(function (x) { return x * x; }).filter(function (x) { return x % 2 === 1; });
  mix(odd.reduce(function (a, x) { return (a + x) % 1000000007; }, 0));
  var counters = [];
  for (var i = 1; i <= 50; i++) counters.push(counter(i));
  var total = 0;
  for (var k = 0; k < 100; k++) for (var c of counters) total += c();
  mix(total);
  var compose = (f, g) => (x) => f(g(x));
  var f = (x) => x + 1;
  for (var j = 0; j < 30; j++) f = compose(f, (x) => x + 1);
  var s = 0;
  for (var n = 0; n < 2000; n++) s += f(n);
  mix(s);
}

class Shape {
  constructor(name) { this.name = name; }
  describe() { return `${this.name}(${this.area})`; }
}
class Rect extends Shape {
  constructor(w, h) { super("rect"); this.w = w; this.h = h; }
  get area() { return this.w * this.h; }
}
class Square extends Rect {
  constructor(s) { super(s, s); this.name = "square"; }
}
class Circle extends Shape {
  constructor(r) { super("circle"); this.r = r; }
  get area() { return 3 * this.r * this.r; }
}
class Vec {
  constructor(x, y) { this.x = x; this.y = y; }
  add(o) { return new Vec(this.x + o.x, this.y + o.y); }
  scale(k) { return new Vec(this.x * k, this.y * k); }
  get len2() { return this.x * this.x + this.y * this.y; }
  toString() { return `(${this.x},${this.y})`; }
}
function classes(round) {
  var shapes = [];
  for (var i = 0; i < 3000; i++) {
    var k = rand(3);
    shapes.push(k === 0 ? new Rect(rand(50) + 1, rand(50) + 1) : k === 1 ? new Square(rand(40) + 1) : new Circle(rand(30) + 1));
  }
  var area = 0, names = new Map();
  for (var s of shapes) { area += s.area; names.set(s.name, (names.get(s.name) || 0) + 1); }
  mix(area);
  for (var [name, count] of [...names.entries()].sort()) { mix(name); mix(count); }
  mix(shapes[round % shapes.length].describe());
  mix(shapes.filter(function (s) { return s instanceof Rect; }).length);
  var acc = new Vec(0, 0), vs = [];
  for (var j = 0; j < 2000; j++) { var v = new Vec(rand(200) - 100, rand(200) - 100); vs.push(v); acc = acc.add(v.scale(2)); }
  vs.sort(function (a, b) { return a.x - b.x || a.y - b.y; });
  mix(String(acc)); mix(vs[0].len2); mix(String(vs[vs.length - 1]));
}

function mapsAndSets(round) {
  var m = new Map(), set = new Set();
  for (var i = 0; i < 8000; i++) {
    var key = "w" + rand(1500);
    m.set(key, (m.get(key) || 0) + i);
    set.add(rand(3000));
  }
  var sum = 0;
  m.forEach(function (v, k) { sum = (sum + v * k.length) % 1000000007; });
  mix(sum); mix(m.size); mix(set.size);
  var sorted = [...set].sort(function (a, b) { return a - b; });
  mix(sorted[0]); mix(sorted[sorted.length - 1]); mix(sorted[(round * 7) % sorted.length]);
  for (var j = 0; j < 3000; j += 3) set.delete(j);
  mix(set.size);
}

function json(round) {
  var doc = [];
  for (var i = 0; i < 600; i++) {
    doc.push({ id: i, tag: words[rand(words.length)], ok: rand(2) === 1, vals: [rand(100), rand(100), i * round],
               ratio: rand(1000) / 64, sub: { a: 'x"y\n' + i, b: [i, i + 1, null] } });
  }
  var text = JSON.stringify(doc);
  var back = JSON.parse(text);
  var total = 0;
  for (var d of back) total += d.vals[0] + d.vals[2] + (d.ok ? 1 : 0) + d.ratio;
  mix(text.length); mix(total); mix(text.slice(0, 200));
  var pretty = JSON.stringify(back.slice(0, 50), ["id", "tag", "sub", "a"], 2);
  mix(pretty);
  var revived = JSON.parse(text, function (k, v) { return typeof v === "number" && k === "id" ? v * 2 : v; });
  mix(revived[revived.length - 1].id);
}

function numeric(round) {
  var limit = 60000, sieve = new Uint8Array(limit + 1), primes = 0, last = 0;
  for (var i = 2; i * i <= limit; i++) if (!sieve[i]) for (var j = i * i; j <= limit; j += i) sieve[j] = 1;
  for (var p = 2; p <= limit; p++) if (!sieve[p]) { primes++; last = p; }
  mix(primes); mix(last);
  var size = 48, inside = 0, shift = round / 1000;
  for (var py = 0; py < size; py++) {
    for (var px = 0; px < size; px++) {
      var cr = px * 3.0 / size - 2.0 + shift, ci = py * 2.0 / size - 1.0, zr = 0, zi = 0, k = 0;
      while (k < 60 && zr * zr + zi * zi <= 4.0) { var t = zr * zr - zi * zi + cr; zi = 2.0 * zr * zi + ci; zr = t; k++; }
      inside += k;
    }
  }
  mix(inside);
  function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
  mix(fib(20 + round % 3));
  var x = 0.5;
  for (var q = 1; q <= 20000; q++) x = x * 3.7 * (1.0 - x) + (q % 3) * 1e-9;
  mix(x);
  var bits = 0;
  for (var b = 1; b <= 20000; b++) bits ^= Math.imul(b, 0x9e3779b1) >>> (b % 17);
  mix(bits);
}

for (var round = 1; round <= N; round++) {
  objectsAndArrays(round);
  strings(round);
  closures(round);
  classes(round);
  mapsAndSets(round);
  json(round);
  numeric(round);
}
function hex8(v) { return (v >>> 0).toString(16).padStart(8, "0"); }
print(`qjs_bench: ${N} rounds`);
print(`checksum: ${hex8(h1)}${hex8(h2)}`);
