import Foundation
import Kiln
import Testing

/// Real interpreters from `Fixtures/large` (Lua 5.4, QuickJS, the SQLite shell; see its README) under
/// WasmKit's interpreter and under `kiln run`: the same stdout, stderr and exit status. Lua's errors and
/// coroutines unwind with setjmp/longjmp, on exception handling (`try_table`, which WasmKit runs too).
@Suite(.serialized) struct LargeProgramTests {
    static let lua = """
        local t = {}
        for i = 1, 200 do t[i] = (i * 7919) % 1009 end
        table.sort(t)
        local function counter() local n = 0; return function() n = n + 1; return n * n end end
        local sq = counter()
        print(_VERSION, t[1], t[100], t[200], #t, sq(), sq(), sq(), select("#", 1, nil, 3))
        print(string.format("%5.2f|%d|%x|%q", math.pi, 2^53 // 1, 255, "a\\nb"), ("kiln"):rep(3, "-"):upper())
        local words = {}
        for w in ("the quick brown fox jumps"):gmatch("%a+") do words[#words + 1] = w:reverse() end
        print(table.concat(words, ","), utf8.char(72, 228, 8364), math.maxinteger, 7 // 2, 7.0 // 2, 3 % -2)
        local function deep(n) if n == 0 then error({ code = 42 }) end return deep(n - 1) + 1 end
        local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i * 10) end end)
        print(pcall(deep, 30), select(2, pcall(deep, 5)).code, pcall(error, "caught", 0), gen(), gen(), gen())
        local co = coroutine.create(function(a) coroutine.yield(a + 1); error("in coroutine", 0) end)
        print(coroutine.resume(co, 1), coroutine.resume(co), coroutine.status(co))
        error("stops here")
        """

    static let javascript = """
        const xs = Array.from({ length: 200 }, (_, i) => (i * 7919) % 1009).sort((a, b) => a - b);
        print(xs[0], xs[100], xs[199], xs.length, JSON.stringify({ a: [1, "two", null], b: { c: true } }));
        print(/(\\d+)-(\\d+)/.exec("call 555-1234 now").slice(1).join("|"), "kiln".padStart(8, "*"), 2n ** 70n);
        const m = new Map([["x", 1], ["y", 2]]);
        class P { #v; constructor(v) { this.#v = v } get twice() { return this.#v * 2 } }
        print([...m.keys()].join(), new P(21).twice, (0.1 + 0.2).toFixed(10), Math.max(...xs), typeof Symbol());
        Promise.resolve(7).then(v => print("then", v));
        print(`template ${1 + 1}`, parseInt("ff", 16), [3, 1, 2].map(x => x * x).reduce((a, b) => a + b));
        throw new TypeError("stops here");
        """

    static let sql = """
        create table t(k integer primary key, v text);
        with recursive c(x) as (select 1 union all select x + 1 from c where x < 500)
          insert into t select x, printf('%04d-%s', x * 7919 % 1009, hex(x)) from c;
        select count(*), sum(k), min(v), max(v) from t;
        select k, v, rank() over (order by v desc) from t where k % 97 = 0 order by k;
        select json_object('n', 3, 'a', json_array(1, 2.5, 'x')), upper('kiln'), 1 / 2.0, typeof(1e400);
        create index tv on t(v);
        select group_concat(k, ' ') from (select k from t where v like '00%' order by v limit 5);
        """

    @Test(arguments: ["large/lua.wasm", "large/qjs.wasm", "large/sqlite3.wasm", "large/sqlite3-debug.wasm"])
    func kilnAcceptsTheFixture(_ fixture: String) throws {
        _ = try Kiln.validate(path: Fixtures.path(fixture))
    }

    @Test func luaRunsTheSameUnderBothEngines() throws {
        let result = try Self.compare(Command(fixture: "large/lua.wasm", arguments: ["-e", Self.lua]))
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("Lua 5.4\t9\t509\t1005\t200\t1\t4\t9\t3\n"), "\(result)")
        // Errors unwound to pcall (a table 30 frames down), a generator, a coroutine that failed.
        #expect(result.stdout.hasSuffix("\nfalse\t42\tfalse\t10\t20\t30\ntrue\tfalse\tdead\n"), "\(result)")
        #expect(result.stderr.hasPrefix("lua.wasm: (command line):16: stops here\nstack traceback:"), "\(result)")
    }

    @Test func quickJSRunsTheSameUnderBothEngines() throws {
        let result = try Self.compare(Command(fixture: "large/qjs.wasm", arguments: ["-e", Self.javascript]))
        #expect(result.status == 1)
        #expect(result.stdout.contains("1180591620717411303424"), "\(result)")
        #expect(result.stderr.hasPrefix("uncaught: TypeError: stops here"), "\(result)")
    }

    /// A database file in a preopened directory: SQLite locks it with a lock directory (WASI has no fcntl locks).
    @Test func sqliteRunsTheSameUnderBothEngines() throws {
        var outputs: [EngineResult] = []
        for engine in 0..<2 {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let command = Command(
                fixture: "large/sqlite3.wasm", arguments: ["/db/test.db", Self.sql],
                environment: [("HOME", "/db")], preopens: [Preopen(host: directory.path, guest: "/db")])
            outputs.append(engine == 0 ? try WasmKitEngine.run(command) : try KilnEngine.run(command, opt: 0))
            #expect(FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("test.db").path))
        }
        #expect(outputs[1] == outputs[0], "kiln: \(outputs[1])\nWasmKit: \(outputs[0])")
        #expect(outputs[0].status == 0)
        #expect(outputs[0].stdout.hasPrefix("500|125250|"), "\(outputs[0])")
    }

    /// Runs `command` under both engines (kiln at -O0, the quickest to compile) and expects the same result.
    static func compare(_ command: Command) throws -> EngineResult {
        let reference = try WasmKitEngine.run(command)
        let kiln = try KilnEngine.run(command, opt: 0)
        #expect(kiln == reference, "kiln: \(kiln)\nWasmKit: \(reference)")
        return reference
    }
}
