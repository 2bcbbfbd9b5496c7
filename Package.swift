// swift-tools-version:6.0
import PackageDescription

// Release builds drop bounds checks in the numeric kernels. On x86-64 they also target
// Haswell's instruction set (AVX2, FMA): the kernels' loops then vectorise 8 floats wide with
// fused multiply-adds instead of SSE2's 4. Every x86-64 server CPU since 2015 (Intel Haswell,
// AMD Zen) has it; for an older CPU build with AEDETECT_PORTABLE=1 in the environment.
#if arch(x86_64)
let cpuFlags = Context.environment["AEDETECT_PORTABLE"] == nil ? ["-target-cpu", "haswell"] : []
#else
let cpuFlags: [String] = []
#endif
// Debug builds of the numeric libraries are optimised too (bounds checks kept) and use the same
// CPU features, so the test suite trains real models in seconds rather than minutes (the 8-wide
// SIMD kernels are ten times slower when emulated on SSE2).
// Swift's squareRoot() goes through C's sqrtf, which on Linux must set errno for a negative
// argument: a compare and branch around every square root that keeps loops (Adam's update)
// from vectorising. Nothing here reads errno after maths; the roots themselves are the same.
let noMathErrno = ["-Xcc", "-fno-math-errno"]
// CPUCheck (C, compiled for baseline x86-64) refuses, with a message and exit status 78, to run
// this code on a CPU without the features above, instead of dying with SIGILL.
let cpuCheck: [CSetting] = cpuFlags.isEmpty ? [] : [.define("AEDETECT_NEEDS_X86_64_V3")]
let fast: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-wmo"] + cpuFlags + noMathErrno, .when(configuration: .release)),
    .unsafeFlags(["-O"] + cpuFlags + noMathErrno, .when(configuration: .debug)),
]

let package = Package(
    name: "aedetect",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "aedetect", targets: ["aedetect"]),
        .library(name: "NeuralNet", targets: ["NeuralNet"]),
        .library(name: "DataIO", targets: ["DataIO"]),
        .library(name: "AnomalyDetection", targets: ["AnomalyDetection"]),
        .library(name: "Reporting", targets: ["Reporting"]),
        .library(name: "Classification", targets: ["Classification"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Keras import: reads .keras archives (zip).
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        // ONNX export: the protobuf runtime for the generated ONNX messages.
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"]), .brew(["openblas"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng",
                       providers: [.apt(["libpng-dev"]), .brew(["libpng"])]),
        .systemLibrary(name: "CJPEG", pkgConfig: "libjpeg",
                       providers: [.apt(["libjpeg62-turbo-dev"]), .brew(["jpeg-turbo"])]),
        .systemLibrary(name: "CZlibSystem", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CMalloc"),
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5-serial",
                       providers: [.apt(["libhdf5-dev"]), .brew(["hdf5"])]),

        .target(name: "CPUCheck", cSettings: cpuCheck),
        .target(name: "AtomicFiles"),
        .target(name: "NeuralNet", dependencies: ["COpenBLAS", "CZlibSystem", "AtomicFiles"], swiftSettings: fast),
        .target(name: "DataIO", dependencies: ["CPNG", "CJPEG", "CZlibSystem", "AtomicFiles"], swiftSettings: fast),
        .target(name: "AnomalyDetection", dependencies: ["NeuralNet", "DataIO"], swiftSettings: fast),
        .target(name: "Reporting", dependencies: ["AnomalyDetection", "NeuralNet", "DataIO", "AtomicFiles"], swiftSettings: fast),
        .target(name: "Classification", dependencies: ["NeuralNet", "DataIO", "AnomalyDetection", "AtomicFiles"], swiftSettings: fast),
        // `aedetect import`: Keras 3 .keras archives (zip + config.json + HDF5 weights) → model files.
        .target(
            name: "KerasImport",
            dependencies: ["NeuralNet", "AnomalyDetection", "CHDF5", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: fast),
        // ONNX's protobuf messages, generated once from onnx.proto (scripts/generate-onnx-proto).
        .target(name: "ONNX", dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        // `export --format onnx`: a detector (network and whole score) as an ONNX graph.
        .target(name: "ONNXExport", dependencies: ["ONNX", "NeuralNet", "AnomalyDetection", "Classification", .product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        // What the commands share: option groups, exit statuses, the progress bar.
        .target(
            name: "CommandSupport",
            dependencies: [
                "NeuralNet", "DataIO", "AnomalyDetection", "Reporting", "AtomicFiles",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: fast),
        // `aedetect bench …`: benchmarks, kept out of the user's commands.
        .target(
            name: "Benchmarks",
            dependencies: [
                "NeuralNet", "DataIO", "AnomalyDetection", "CommandSupport", "Classification",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: fast),
        .executableTarget(
            name: "aedetect",
            dependencies: [
                "NeuralNet", "DataIO", "AnomalyDetection", "Reporting", "AtomicFiles", "CMalloc", "CPUCheck",
                "CommandSupport", "Benchmarks", "Classification", "KerasImport", "ONNXExport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: fast),

        .testTarget(name: "AtomicFilesTests", dependencies: ["AtomicFiles"]),
        .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet", "DataIO"]),
        .testTarget(name: "DataIOTests", dependencies: ["DataIO"]),
        .testTarget(name: "AnomalyDetectionTests", dependencies: ["AnomalyDetection"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting"]),
        .testTarget(name: "ClassificationTests", dependencies: ["Classification", "NeuralNet", "DataIO", "AnomalyDetection"]),
        .testTarget(name: "KerasImportTests", dependencies: ["KerasImport", "NeuralNet", "AnomalyDetection", "DataIO",
                                                       .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(name: "aedetectTests", dependencies: ["aedetect", "DataIO"]),
        .testTarget(name: "ONNXExportTests", dependencies: ["ONNXExport", "ONNX", "AnomalyDetection", "NeuralNet", "Classification"]),
    ],
    swiftLanguageModes: [.v5]
)
