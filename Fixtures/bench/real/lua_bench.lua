local N = N or 24 -- rounds (this line comes first: lua rejects an -e argument that starts with "-")
-- lua_bench: a typical interpreter benchmark mix for Lua 5.4 (Kiln benchmark corpus, real programs).
-- Run as `lua -e N=24 -e "$(cat lua_bench.lua)"`: N is the number of rounds (default 24). Each round runs
-- table-heavy code (records built, sorted, grouped), string building (format, concat, gsub, find), closures
-- (map/filter/reduce, counters), a small object system (metatables, inheritance, metamethods), numeric
-- loops (sieve, Mandelbrot in floats, recursion), a JSON-like serializer, and errors and coroutines (an
-- expression evaluator whose errors unwind several frames to pcall/xpcall, generators and a pipeline of
-- coroutines: both unwind with setjmp/longjmp, on wasm through exception handling). Deterministic: no
-- clocks, no os/io calls. Ends with `checksum: <16 hex>`, a 64-bit FNV-1a-style hash (integer arithmetic
-- wraps) over everything computed.

local h = -3750763034362895579 -- 0xCBF29CE484222325 as a signed 64-bit integer
local function mix(v)
  if math.type(v) == "float" then
    v = string.unpack("<i8", string.pack("<d", v))
  elseif type(v) == "string" then
    for i = 1, #v, 8 do
      local chunk = v:sub(i, i + 7)
      h = (h ~ string.unpack("<i8", chunk .. string.rep("\0", 8 - #chunk))) * 1099511628211
    end
    v = #v
  elseif type(v) == "boolean" then
    v = v and 1 or 2
  end
  h = (h ~ v) * 1099511628211
end

local seed = 0x2545F491
local function rand(n) -- a 31-bit linear congruential generator, deterministic across platforms
  seed = (seed * 1103515245 + 12345) & 0x7fffffff
  return seed % n
end

-- Tables: records, sort with a total order, group by key.
local function tables(round)
  local records = {}
  for i = 1, 4000 do
    records[i] = { id = i, key = "k" .. rand(97), value = rand(100000) - 50000, weight = rand(1000) / 8 }
  end
  table.sort(records, function(a, b)
    if a.value ~= b.value then return a.value < b.value end
    return a.id < b.id
  end)
  local groups = {}
  for _, r in ipairs(records) do
    local g = groups[r.key]
    if not g then g = { n = 0, sum = 0, wsum = 0.0 }; groups[r.key] = g end
    g.n = g.n + 1
    g.sum = g.sum + r.value
    g.wsum = g.wsum + r.weight
  end
  local keys = {}
  for k in pairs(groups) do keys[#keys + 1] = k end
  table.sort(keys)
  for _, k in ipairs(keys) do
    local g = groups[k]
    mix(k); mix(g.n); mix(g.sum); mix(g.wsum)
  end
  mix(records[1].id); mix(records[#records].id)
  -- an array used as a queue and a stack
  local q, head = {}, 1
  for i = 1, 3000 do q[#q + 1] = i * round end
  local acc = 0
  while head <= #q do
    acc = acc + q[head]; q[head] = nil; head = head + 1
  end
  mix(acc)
end

-- Strings: build, format, gsub, find, concat.
local words = { "lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed", "do" }
local function strings(round)
  local parts = {}
  for i = 1, 2500 do
    local w = words[rand(#words) + 1]
    parts[#parts + 1] = string.format("%s-%d:%x", w, i, (i * round) % 4096)
  end
  local text = table.concat(parts, " ")
  local upper = text:gsub("%a+", function(w) return #w > 4 and w:upper() or w end)
  local swapped, count = upper:gsub("(%w+)-(%d+)", "%2=%1")
  mix(swapped); mix(count)
  local found, pos = 0, 1
  while true do
    local s, e = string.find(text, "amet%-%d+", pos)
    if not s then break end
    found = found + 1
    pos = e + 1
  end
  mix(found)
  local digits = 0
  for d in text:gmatch("%d+") do digits = digits + tonumber(d) end
  mix(digits)
  local rev = {}
  for i = 1, 200 do rev[i] = string.reverse(parts[i]) .. string.rep("ab", i % 5) end
  mix(table.concat(rev, ","))
  local bytes = 0
  for i = 1, #text, 7 do bytes = bytes + text:byte(i) end
  mix(bytes)
end

-- Closures and higher-order functions.
local function map(t, f) local r = {}; for i = 1, #t do r[i] = f(t[i]) end; return r end
local function filter(t, p) local r = {}; for i = 1, #t do if p(t[i]) then r[#r + 1] = t[i] end end; return r end
local function reduce(t, f, a) for i = 1, #t do a = f(a, t[i]) end; return a end
local function counter(step)
  local n = 0
  return function() n = n + step; return n end
end
local function closures(round)
  local xs = {}
  for i = 1, 6000 do xs[i] = i + round end
  local squares = map(xs, function(x) return x * x end)
  local odd = filter(squares, function(x) return x % 2 == 1 end)
  mix(reduce(odd, function(a, x) return (a + x) % 1000000007 end, 0))
  local counters = {}
  for i = 1, 50 do counters[i] = counter(i) end
  local total = 0
  for _ = 1, 100 do
    for i = 1, #counters do total = total + counters[i]() end
  end
  mix(total)
  local compose = function(f, g) return function(x) return f(g(x)) end end
  local inc = function(x) return x + 1 end
  local f = inc
  for _ = 1, 30 do f = compose(f, inc) end
  local s = 0
  for i = 1, 2000 do s = s + f(i) end
  mix(s)
end

-- A small object system: classes with inheritance and metamethods.
local Shape = {}
Shape.__index = Shape
function Shape.new(cls, name) local o = setmetatable({}, cls); o.name = name; return o end
function Shape:describe() return self.name .. "(" .. self:area() .. ")" end
local Rect = setmetatable({}, { __index = Shape })
Rect.__index = Rect
function Rect.new(w, hgt) local o = Shape.new(Rect, "rect"); o.w, o.h = w, hgt; return o end
function Rect:area() return self.w * self.h end
local Square = setmetatable({}, { __index = Rect })
Square.__index = Square
function Square.new(s) local o = Rect.new(s, s); o.name = "square"; return setmetatable(o, Square) end
local Circle = setmetatable({}, { __index = Shape })
Circle.__index = Circle
function Circle.new(r) local o = Shape.new(Circle, "circle"); o.r = r; return o end
function Circle:area() return 3 * self.r * self.r end
local Vec = {}
Vec.__index = Vec
local function vec(x, y) return setmetatable({ x = x, y = y }, Vec) end
Vec.__add = function(a, b) return vec(a.x + b.x, a.y + b.y) end
Vec.__mul = function(a, k) return vec(a.x * k, a.y * k) end
Vec.__eq = function(a, b) return a.x == b.x and a.y == b.y end
Vec.__lt = function(a, b) return a.x < b.x or (a.x == b.x and a.y < b.y) end
Vec.__tostring = function(v) return "(" .. v.x .. "," .. v.y .. ")" end
function Vec:len2() return self.x * self.x + self.y * self.y end

local function objects(round)
  local shapes = {}
  for i = 1, 3000 do
    local k = rand(3)
    if k == 0 then shapes[i] = Rect.new(rand(50) + 1, rand(50) + 1)
    elseif k == 1 then shapes[i] = Square.new(rand(40) + 1)
    else shapes[i] = Circle.new(rand(30) + 1) end
  end
  local area, names = 0, {}
  for _, s in ipairs(shapes) do
    area = area + s:area()
    names[s.name] = (names[s.name] or 0) + 1
  end
  mix(area); mix(names.rect or 0); mix(names.square or 0); mix(names.circle or 0)
  mix(shapes[round % #shapes + 1]:describe())
  local acc = vec(0, 0)
  local vs = {}
  for i = 1, 2000 do
    local v = vec(rand(200) - 100, rand(200) - 100)
    vs[i] = v
    acc = acc + v * 2
  end
  table.sort(vs, function(a, b) return a < b end)
  local eq = 0
  for i = 2, #vs do if vs[i] == vs[i - 1] then eq = eq + 1 end end
  mix(tostring(acc)); mix(eq); mix(vs[1]:len2()); mix(tostring(vs[#vs]))
end

-- Numeric loops: sieve, Mandelbrot (floats), recursion.
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
local function numeric(round)
  local limit = 60000
  local sieve = {}
  for i = 2, limit do sieve[i] = true end
  for i = 2, math.floor(math.sqrt(limit)) do
    if sieve[i] then for j = i * i, limit, i do sieve[j] = false end end
  end
  local primes, last = 0, 0
  for i = 2, limit do if sieve[i] then primes = primes + 1; last = i end end
  mix(primes); mix(last)
  local size, inside = 48, 0
  local shift = round / 1000
  for py = 0, size - 1 do
    for px = 0, size - 1 do
      local cr, ci = px * 3.0 / size - 2.0 + shift, py * 2.0 / size - 1.0
      local zr, zi, k = 0.0, 0.0, 0
      while k < 60 and zr * zr + zi * zi <= 4.0 do
        zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
        k = k + 1
      end
      inside = inside + k
    end
  end
  mix(inside)
  mix(fib(20 + round % 3))
  local x = 0.5
  for i = 1, 20000 do x = x * 3.7 * (1.0 - x) + (i % 3) * 1e-9 end
  mix(x)
  local bits = 0
  for i = 1, 20000 do bits = bits ~ ((i * 2654435761) >> (i % 17)) end
  mix(bits)
end

-- A JSON-like serializer over nested tables (sorted keys), and a tokenizer for it.
local function serialize(v, out)
  local t = type(v)
  if t == "table" then
    if #v > 0 then
      out[#out + 1] = "["
      for i = 1, #v do
        if i > 1 then out[#out + 1] = "," end
        serialize(v[i], out)
      end
      out[#out + 1] = "]"
    else
      local keys = {}
      for k in pairs(v) do keys[#keys + 1] = k end
      table.sort(keys)
      out[#out + 1] = "{"
      for i, k in ipairs(keys) do
        if i > 1 then out[#out + 1] = "," end
        out[#out + 1] = string.format("%q:", k)
        serialize(v[k], out)
      end
      out[#out + 1] = "}"
    end
  elseif t == "string" then
    out[#out + 1] = string.format("%q", v)
  else
    out[#out + 1] = tostring(v)
  end
end
local function documents(round)
  local doc = {}
  for i = 1, 300 do
    doc[i] = { id = i, tag = words[rand(#words) + 1], ok = rand(2) == 1, vals = { rand(100), rand(100), i * round },
               sub = { a = "x\"y" .. i, b = { i, i + 1 } } }
  end
  local out = {}
  serialize(doc, out)
  local text = table.concat(out)
  local tokens = 0
  for _ in text:gmatch('[%[%]{}:,]') do tokens = tokens + 1 end
  mix(#text); mix(tokens); mix(text:sub(1, 200))
end

-- A recursive-descent evaluator of integer expressions; a bad token, a division by zero or too deep a
-- nesting raises an error (a string, or a table with a code) from deep inside the recursion.
local function evaluate(text)
  local pos = 1
  local expr
  local function peek() return text:sub(pos, pos) end
  local function atom(depth)
    if depth > 40 then error({ code = 3, at = pos }) end
    local c = peek()
    if c == "(" then
      pos = pos + 1
      local v = expr(depth + 1)
      if peek() ~= ")" then error("missing ) at " .. pos) end
      pos = pos + 1
      return v
    end
    local digits = text:match("^%d+", pos)
    if not digits then error({ code = 1, at = pos }) end
    pos = pos + #digits
    return tonumber(digits)
  end
  local function term(depth)
    local v = atom(depth)
    while peek() == "*" or peek() == "/" do
      local op = peek()
      pos = pos + 1
      local r = atom(depth)
      if op == "*" then v = v * r elseif r == 0 then error("division by zero", 0) else v = v // r end
    end
    return v
  end
  function expr(depth)
    local v = term(depth)
    while peek() == "+" or peek() == "-" do
      local op = peek()
      pos = pos + 1
      local r = term(depth)
      v = op == "+" and v + r or v - r
    end
    return v
  end
  local v = expr(0)
  if pos <= #text then error({ code = 2, at = pos }) end
  return v
end
local function randomExpression(depth)
  local r = rand(10)
  if depth > 6 or r < 3 then
    return tostring(rand(50))
  elseif r == 3 then
    return "(" .. randomExpression(depth + 1) .. ")"
  end
  local ops = { "+", "-", "*", "/", "+", "?" }
  return randomExpression(depth + 1) .. ops[rand(#ops) + 1] .. randomExpression(depth + 1)
end
local function protected(round)
  local ok, failed = 0, 0
  for i = 1, 150 do
    local text = randomExpression(0)
    if i % 25 == 0 then text = string.rep("(", 50) .. "1" .. string.rep(")", 50) end
    local success, result = pcall(evaluate, text)
    if success then
      ok = ok + 1; mix(result)
    else
      failed = failed + 1
      if type(result) == "table" then mix(result.code * 1000 + result.at) else mix(result) end
    end
    local _, length = xpcall(evaluate, function(e) return type(e) == "string" and #e or -e.code end, text .. ")")
    mix(length)
  end
  mix(ok); mix(failed)
  -- Generators, and a pipeline of coroutines: numbers, a filter, a running sum.
  local function numbers(n) return coroutine.wrap(function() for k = 1, n do coroutine.yield(k * round) end end) end
  local function keep(source, p)
    return coroutine.wrap(function() for v in source do if p(v) then coroutine.yield(v) end end end)
  end
  local sum = 0
  for v in keep(numbers(400), function(v) return v % 3 ~= 0 end) do sum = sum + v end
  mix(sum)
  -- A coroutine that fails part-way: resume reports the error, the coroutine is dead.
  local co = coroutine.create(function(a) local b = coroutine.yield(a * 2); error("bad " .. b, 0) end)
  local _, first = coroutine.resume(co, round)
  local okay, message = coroutine.resume(co, first)
  mix(first); mix(okay); mix(message); mix(coroutine.status(co))
end

for round = 1, N do
  protected(round)
  tables(round)
  strings(round)
  closures(round)
  objects(round)
  numeric(round)
  documents(round)
end
print(string.format("lua_bench: %d rounds, %s", N, _VERSION))
print(string.format("checksum: %016x", h))
