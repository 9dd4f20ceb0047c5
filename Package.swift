// swift-tools-version:6.1
import PackageDescription

let wasmParser = Target.Dependency.product(name: "WasmParser", package: "WasmKit")
let wat = Target.Dependency.product(name: "WAT", package: "WasmKit")

let package = Package(
    name: "Kiln",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kiln", targets: ["kiln"]),
        .library(name: "Kiln", targets: ["Kiln"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swiftwasm/WasmKit.git", exact: "0.4.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
    ],
    targets: [
        // The pipeline, one stage per target. A stage imports only stages above it.
        .target(name: "KilnModel", dependencies: [wasmParser]),
        .target(name: "KilnDecode", dependencies: ["KilnModel", wasmParser, wat]),
        .target(name: "KilnValidate", dependencies: ["KilnModel", "KilnDecode"]),

        // Front doors.
        .target(name: "Kiln", dependencies: ["KilnModel", "KilnDecode", "KilnValidate"]),
        .target(name: "KilnWast", dependencies: ["Kiln", wat]),
        .target(name: "KilnCommands", dependencies: [
            "Kiln", "KilnWast", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "kiln", dependencies: ["KilnCommands"]),

        // Tests mirror Sources/.
        .testTarget(name: "KilnDecodeTests", dependencies: ["KilnDecode", wat]),
        .testTarget(name: "KilnValidateTests", dependencies: ["KilnValidate", "KilnDecode", wat]),
        .testTarget(name: "KilnWastTests", dependencies: ["KilnWast"]),
        .testTarget(name: "KilnCommandsTests", dependencies: ["KilnCommands", "Kiln"]),
        .testTarget(name: "ArchitectureTests"),
    ]
)
