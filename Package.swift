// swift-tools-version:6.1
import PackageDescription

let wasmParser = Target.Dependency.product(name: "WasmParser", package: "WasmKit")
let wat = Target.Dependency.product(name: "WAT", package: "WasmKit")

let package = Package(
    name: "Kiln",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kiln-driver", targets: ["kiln-driver"]),
        .executable(name: "kiln-interp", targets: ["kiln-interp"]),
        .executable(name: "kiln-measure", targets: ["kiln-measure"]),
        .executable(name: "kiln-difftest", targets: ["kiln-difftest"]),
        .library(name: "Kiln", targets: ["Kiln"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swiftwasm/WasmKit.git", exact: "0.4.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
    ],
    targets: [
        // The pipeline, one stage per target. A stage imports only stages above it.
        .target(name: "KilnModel", dependencies: [wasmParser]),
        .target(name: "KilnDecode", dependencies: ["KilnModel", wasmParser, wat]),
        .target(name: "KilnValidate", dependencies: ["KilnModel", "KilnDecode"]),
        .target(name: "KilnLower", dependencies: ["KilnModel", "KilnDecode", "KilnValidate", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "KilnBuild", dependencies: ["KilnModel", "KilnLower"]),
        .target(name: "KilnCache", dependencies: ["KilnModel", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "KilnLoad", dependencies: ["KilnModel", "CKilnHost"]),

        // Front doors.
        .target(name: "Kiln", dependencies: ["KilnModel", "KilnDecode", "KilnValidate", "KilnLower", "KilnBuild", "KilnCache", "KilnLoad"]),
        .target(name: "KilnWast", dependencies: ["Kiln", "KilnBuild", "KilnLoad", "CKilnHost", wat]),
        .target(name: "KilnCommands", dependencies: [
            "Kiln", "KilnWast", "KilnBuild", "KilnCache", "KilnLoad", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // The Swift half of the `kiln` command; `kiln` itself is the C launcher in Sources/kiln-launcher (built by
        // the Makefile), which runs cached modules by itself and execs this for everything else.
        .executableTarget(name: "kiln-driver", dependencies: ["KilnCommands"]),
        // The interpreter baseline of `kiln bench`: WasmKit's engine and WASI, kept out of every library target.
        .executableTarget(name: "kiln-interp", dependencies: [
            .product(name: "WasmKit", package: "WasmKit"), .product(name: "WasmKitWASI", package: "WasmKit"),
        ]),
        // Random-module differential testing (`make difftest`): binaryen's -ttf modules under WasmKit's
        // interpreter and under Kiln, in one process; WasmKit stays out of every library target.
        .executableTarget(name: "kiln-difftest", dependencies: [
            "Kiln", "KilnBuild", "KilnCache", "KilnDecode", "KilnLoad", "KilnLower", "KilnValidate", "CKilnHost", .product(name: "WasmKit", package: "WasmKit"),
        ]),
        // What `kiln bench` spawns each run through to read its wall time and peak RSS: C, and small, because a
        // child's peak RSS starts at its parent's (see its main.c).
        .executableTarget(name: "kiln-measure"),

        // C: the host side of the runtime ABI (the setjmp boundary) plus the host's own copy of the
        // runtime for memories and tables it creates. Runtime/src is also compiled into every artifact.
        .target(
            name: "CKilnHost",
            path: "Runtime",
            exclude: ["tests", "README.md"],
            sources: ["host", "src"],
            publicHeadersPath: "include",
            cSettings: [.unsafeFlags(["-ffp-contract=off", "-frounding-math"])]
        ),

        // What embedding costs, Kiln's library beside WasmKit's (`make bench` writes bench/API.md).
        .executableTarget(name: "kiln-api-bench", dependencies: ["Kiln", "KilnDecode", .product(name: "WasmKit", package: "WasmKit")]),

        // Examples of the library (Examples/README.md), built and run by `make test`.
        .executableTarget(name: "example-plugin", dependencies: ["Kiln"], path: "Examples/Plugin", exclude: ["expected-output.txt"]),
        .executableTarget(name: "example-wasi-capture", dependencies: ["Kiln"], path: "Examples/WASICapture", exclude: ["expected-output.txt"]),

        // Fuzz targets (Fuzz/, `make fuzz`): built with libFuzzer into .build-fuzz by the Makefile; a plain
        // `swift build` makes them reproducers that run the inputs named on the command line.
        .target(name: "KilnFuzzSupport", path: "Fuzz/Support"),
        .executableTarget(name: "fuzz-decode", dependencies: ["KilnFuzzSupport", "KilnModel", "KilnDecode", "KilnValidate", "KilnLower"], path: "Fuzz/fuzz-decode"),
        .executableTarget(name: "fuzz-pipeline", dependencies: [
            "KilnFuzzSupport", "KilnModel", "KilnDecode", "KilnValidate", "KilnLower", "KilnBuild", "KilnLoad",
        ], path: "Fuzz/fuzz-pipeline"),
        .executableTarget(name: "fuzz-seeds", dependencies: ["KilnDecode", wat], path: "Fuzz/fuzz-seeds"),

        // Tests mirror Sources/.
        .testTarget(name: "KilnDecodeTests", dependencies: ["KilnDecode", wat]),
        .testTarget(name: "KilnValidateTests", dependencies: ["KilnValidate", "KilnDecode", wat]),
        .testTarget(name: "KilnLowerTests", dependencies: ["KilnLower", "KilnBuild", "KilnDecode", "KilnValidate"]),
        .testTarget(name: "KilnBuildTests", dependencies: ["KilnBuild"]),
        .testTarget(name: "KilnCacheTests", dependencies: ["KilnCache"]),
        // The library as an embedder sees it: `import Kiln` and nothing else.
        .testTarget(name: "KilnTests", dependencies: ["Kiln"]),
        .testTarget(name: "KilnLoadTests", dependencies: ["Kiln", "KilnBuild", "KilnLoad", "KilnDecode", "KilnLower"]),
        .testTarget(name: "KilnWastTests", dependencies: ["KilnWast", "KilnBuild"]),
        .testTarget(name: "KilnCommandsTests", dependencies: ["KilnCommands", "Kiln", "KilnDecode", wasmParser]),
        .testTarget(name: "ArchitectureTests"),
        // The helpers of kiln-difftest: the export rewrite, value and trap matching, the memory comparison.
        .testTarget(name: "KilnDifftestTests", dependencies: ["kiln-difftest", wat, .product(name: "WasmKit", package: "WasmKit")]),
        // The same WASI commands under WasmKit's interpreter (the reference) and `kiln run`, and the sandbox.
        .testTarget(name: "KilnDifferentialTests", dependencies: [
            "Kiln", .product(name: "WasmKit", package: "WasmKit"), .product(name: "WasmKitWASI", package: "WasmKit"),
        ]),
    ]
)
