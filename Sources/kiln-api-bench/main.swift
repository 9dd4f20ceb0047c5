// kiln-api-bench: what embedding costs (issue 18), Kiln's library beside WasmKit's, on one module:
// - host → guest: a call of a trivial export (`id(x) = x`), typed, per call;
// - guest → host: the guest calling a host function that returns its argument, per call;
// - instantiation: a new store and an instance of the module (a memory, a table, a data segment), per second.
// Each figure is the best of 5 timed rounds on one thread. Prints a Markdown table; `make bench` writes it
// to bench/API.md.
//
//     kiln-api-bench [--cache DIR] [--quick]
import Foundation

var cache = NSTemporaryDirectory() + "kiln-api-bench-cache"
var quick = false
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--cache": cache = arguments.popFirst() ?? cache
    case "--quick": quick = true
    default:
        FileHandle.standardError.write("usage: kiln-api-bench [--cache DIR] [--quick]\n".data(using: .utf8)!)
        exit(2)
    }
}

func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// The best of `rounds` runs of `body(n)`, in seconds per operation.
func best(_ n: Int, rounds: Int = 5, _ body: (Int) throws -> Void) rethrows -> Double {
    try body(n / 10)  // warm up
    var fastest = Double.infinity
    for _ in 0..<rounds {
        let start = now()
        try body(n)
        fastest = min(fastest, (now() - start) / Double(n))
    }
    return fastest
}

func check(_ got: Int32, _ expected: Int32, _ what: String) {
    guard got == expected else {
        FileHandle.standardError.write("kiln-api-bench: \(what) returned \(got), expected \(expected)\n".data(using: .utf8)!)
        exit(1)
    }
}

let scale = quick ? 10 : 1
let callCount = 2_000_000 / scale, interpretedCallCount = 200_000 / scale, instanceCount = 20_000 / scale

let kiln = try KilnSide(cache: cache)
let wasmkit = try WasmKitSide(binary: try KilnSide.binary())
let expectedIDs = Int32(truncatingIfNeeded: (0..<callCount).reduce(0, +))
let expectedInterpretedIDs = Int32(truncatingIfNeeded: (0..<interpretedCallCount).reduce(0, +))
check(try kiln.hostToGuest(callCount), expectedIDs, "kiln id")
check(try wasmkit.hostToGuest(interpretedCallCount), expectedInterpretedIDs, "WasmKit id")
check(try kiln.guestToHost(callCount), Workload.sum(callCount), "kiln calls")
check(try wasmkit.guestToHost(interpretedCallCount), Workload.sum(interpretedCallCount), "WasmKit calls")

let rows: [(String, String, Double, Double, String)] = [
    ("host → guest call, typed (ns)", "≤ 30",
     try best(callCount) { _ = try kiln.hostToGuest($0) } * 1e9, try best(interpretedCallCount) { _ = try wasmkit.hostToGuest($0) } * 1e9, "ns"),
    ("host → guest call, dynamic `[Value]` (ns)", "",
     try best(callCount / 4) { _ = try kiln.hostToGuestDynamic($0) } * 1e9, .nan, "ns"),
    ("guest → host call (ns)", "≤ 50",
     try best(callCount) { _ = try kiln.guestToHost($0) } * 1e9, try best(interpretedCallCount) { _ = try wasmkit.guestToHost($0) } * 1e9, "ns"),
    ("instantiation, new store each (per second)", "≥ 50,000",
     1 / (try best(instanceCount) { try kiln.instantiate($0) }), 1 / (try best(instanceCount / 4) { try wasmkit.instantiate($0) }), "/s"),
]

func format(_ value: Double) -> String {
    if value.isNaN { return "—" }
    return value >= 1000 ? String(Int(value.rounded())) : String(format: "%.1f", value)
}

print("| operation | goal | Kiln | WasmKit 0.4.2 |")
print("|---|---:|---:|---:|")
for (name, goal, kilnValue, wasmkitValue, _) in rows {
    print("| \(name) | \(goal) | \(format(kilnValue)) | \(format(wasmkitValue)) |")
}
