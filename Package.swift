// swift-tools-version: 6.1
// GoldenGrain: a model marketplace on its own proof-of-authority chain. See ../shared/DESIGN.md §1
// and docs/architecture.md for the module layout; dependencies point one way:
// Primitives ← Signatures ← Storage ← Trie ← State ← Execution ← Chain ← RPC ← CLI, with the state-free
// EVM (interpreter, precompiles) below Execution, Attestation and Inference; the chain's data types
// (ChainTypes) and the consensus-engine protocol (Consensus) below Chain, Clique beside it, and
// GoldenGrainNode assembling a node from its genesis.
import PackageDescription

/// Release builds of our own modules get full optimisation; bounds checks stay on (no -Ounchecked).
/// On x86-64 the baseline is raised to Haswell (AVX2, FMA, BMI1/2: every x86-64 server CPU since
/// 2013): Keccak's chi step maps onto ANDN and the GEMM kernels' SIMD types onto AVX2 instead of
/// SSE2. Set GOLDENGRAIN_PORTABLE=1 to build for the plain x86-64 baseline.
var optimised: [SwiftSetting] = [
    .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
]
#if arch(x86_64)
if Context.environment["GOLDENGRAIN_PORTABLE"] == nil {
    optimised.append(.unsafeFlags(["-target-cpu", "haswell"]))
}
#endif

/// The AVX-512 int8 GEMM kernel's module is built for Cascade Lake (AVX-512 F/CD/BW/DQ/VL + VNNI),
/// whatever the baseline, and without cross-module optimisation so none of its code is inlined
/// into the baseline modules; Inference calls it only on CPUs that report those features.
var avx512Kernel: [SwiftSetting] = []
#if arch(x86_64)
avx512Kernel.append(.unsafeFlags(["-target-cpu", "cascadelake"]))
#endif

let package = Package(
    name: "GoldenGrain",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "goldengrain", targets: ["GoldenGrainCLI"]),
        .library(name: "Primitives", targets: ["Primitives"]),
        .library(name: "Signatures", targets: ["Signatures"]),
        .library(name: "Storage", targets: ["Storage"]),
        .library(name: "Trie", targets: ["Trie"]),
        .library(name: "State", targets: ["State"]),
        .library(name: "EVM", targets: ["EVM"]),
        .library(name: "Execution", targets: ["Execution"]),
        .library(name: "StateTestRunner", targets: ["StateTestRunner"]),
        .library(name: "Attestation", targets: ["Attestation"]),
        .library(name: "Inference", targets: ["Inference"]),
        .library(name: "ChainTypes", targets: ["ChainTypes"]),
        .library(name: "JSONRPC", targets: ["JSONRPC"]),
        .library(name: "Consensus", targets: ["Consensus"]),
        .library(name: "Clique", targets: ["Clique"]),
        .library(name: "Chain", targets: ["Chain"]),
        .library(name: "GoldenGrainNode", targets: ["GoldenGrainNode"]),
        .library(name: "P2P", targets: ["P2P"]),
        .library(name: "ETH", targets: ["ETH"]),
        .library(name: "RPC", targets: ["RPC"]),
        .library(name: "Marketplace", targets: ["Marketplace"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.65.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.20.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.1.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.0.0"),
    ],
    targets: [
        // System libraries from Debian's -dev packages (installed by `make deps`).
        .systemLibrary(name: "CSecp256k1", pkgConfig: "libsecp256k1",
                       providers: [.apt(["libsecp256k1-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CLevelDB", providers: [.apt(["libleveldb-dev"])]),
        .systemLibrary(name: "CSnappy", providers: [.apt(["libsnappy-dev"])]),

        .target(name: "Primitives", swiftSettings: optimised),
        .target(name: "Signatures", dependencies: ["Primitives", "CSecp256k1", "COpenSSL"],
                swiftSettings: optimised),
        .target(name: "Storage", dependencies: ["Primitives", "CLevelDB"], swiftSettings: optimised),
        .target(name: "Trie", dependencies: ["Primitives", "Storage"], swiftSettings: optimised),
        .target(name: "State", dependencies: ["Primitives", "Storage", "Trie"], swiftSettings: optimised),
        // The state-free EVM: interpreter, instruction table, Host and Tracer protocols, the Precompile
        // protocol, registry and standard precompiles (revm's interpreter + precompile crates).
        .target(name: "EVM", dependencies: ["Primitives", "Signatures", "COpenSSL"], swiftSettings: optimised),
        // Transactions executed over State: the Host implementation, transaction processing, intrinsic
        // gas, contract addresses (revm's handler crate).
        .target(name: "Execution", dependencies: ["Primitives", "EVM", "State"], swiftSettings: optimised),

        .target(name: "Attestation", dependencies: ["Primitives", "Signatures", "COpenSSL", "EVM",
                                                   .product(name: "SwiftASN1", package: "swift-asn1")],
                swiftSettings: optimised),
        .target(name: "InferenceAVX512", swiftSettings: avx512Kernel),
        // Int8 GEMM micro-kernels in C with intrinsics (AVX2 vpmaddwd, AVX-512/AVX-VNNI vpdpbusd), each
        // function built for its ISA by a target attribute, and the CPUID check (docs/architecture.md).
        .target(name: "CInt8Kernels"),
        .target(name: "Inference", dependencies: ["Primitives", "Signatures", "EVM", "InferenceAVX512", "CInt8Kernels"],
                swiftSettings: optimised),
        // Headers, blocks, transactions, receipts, logs, their RLP, and the genesis file (geth's
        // core/types and its chain config): what consensus engines and the node share.
        .target(name: "ChainTypes", dependencies: ["Primitives", "Signatures", "Storage", "Trie", "State", "EVM"],
                swiftSettings: optimised),
        // JSON-RPC 2.0 itself: the dispatcher, the method table, parameters, errors and argument
        // decoders, with no server and no node, so any module can serve a namespace (geth's rpc package).
        .target(name: "JSONRPC", dependencies: ["Primitives", "ChainTypes"], swiftSettings: optimised),
        // The consensus-engine protocol (geth's consensus.Engine): nothing engine-specific.
        .target(name: "Consensus", dependencies: ["Primitives", "ChainTypes", "JSONRPC"], swiftSettings: optimised),
        // EIP-225 proof of authority: snapshots, voting, sealing, verification, and the clique_ namespace.
        .target(name: "Clique", dependencies: ["Primitives", "Signatures", "Storage", "ChainTypes", "Consensus", "JSONRPC"],
                swiftSettings: optimised),
        // The node: store, block execution and import, the pool, sealing, dev controls; any engine.
        .target(name: "Chain", dependencies: ["Primitives", "Signatures", "Storage", "Trie", "State", "EVM",
                                              "Execution", "ChainTypes", "Consensus", "JSONRPC",
                                              .product(name: "Metrics", package: "swift-metrics")],
                swiftSettings: optimised),
        // A GoldenGrain node assembled from its genesis: precompile registry (Attestation, Inference)
        // and Clique engine. The only module that sees all of them with Chain.
        .target(name: "GoldenGrainNode",
                dependencies: ["Primitives", "Storage", "EVM", "ChainTypes", "Chain", "Clique", "Attestation", "Inference"],
                swiftSettings: optimised),
        // devp2p, chain-agnostic (geth's p2p package): RLPx handshake and frames, the base protocol
        // (Hello, Ping, Disconnect, Snappy), node keys and enode URLs, peers, discovery v4.
        .target(name: "P2P",
                dependencies: ["Primitives", "Signatures", "CSnappy",
                               .product(name: "NIOCore", package: "swift-nio"),
                               .product(name: "NIOPosix", package: "swift-nio"),
                               .product(name: "Logging", package: "swift-log")],
                swiftSettings: optimised),
        // eth/68 (geth's eth package): wire messages, EIP-2124 fork id, the Status handshake, block and
        // transaction propagation, and catch-up sync into Chain.
        .target(name: "ETH",
                dependencies: ["Primitives", "Signatures", "ChainTypes", "JSONRPC", "Chain", "P2P",
                               .product(name: "Logging", package: "swift-log"),
                               .product(name: "Metrics", package: "swift-metrics")],
                swiftSettings: optimised),
        // Ethereum JSON-RPC over HTTP and WebSocket (docs/rpc.md).
        .target(name: "RPC",
                dependencies: ["Primitives", "ChainTypes", "JSONRPC", "Chain", "EVM", "Execution", "State", "Signatures",
                               .product(name: "Hummingbird", package: "hummingbird"),
                               .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                               .product(name: "NIOCore", package: "swift-nio"),
                               .product(name: "NIOPosix", package: "swift-nio"),
                               .product(name: "Logging", package: "swift-log"),
                               .product(name: "Metrics", package: "swift-metrics")],
                swiftSettings: optimised),
        // The marketplace client over JSON-RPC (ABI, EIP-712, transactions, sealing); never sees Chain or RPC.
        .target(name: "Marketplace",
                dependencies: ["Primitives", "Signatures", "Inference",
                               .product(name: "AsyncHTTPClient", package: "async-http-client"),
                               .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                               .product(name: "NIOCore", package: "swift-nio"),
                               .product(name: "Logging", package: "swift-log")],
                swiftSettings: optimised),
        // ethereum/tests GeneralStateTests loader and runner (`goldengrain statetest`).
        .target(name: "StateTestRunner",
                dependencies: ["EVM", "Execution", "State", "Signatures", "Primitives", "Trie", "Storage"],
                swiftSettings: optimised),

        .executableTarget(
            name: "GoldenGrainCLI",
            dependencies: [
                "Primitives", "Signatures", "Storage", "Trie", "State", "EVM", "Execution", "Attestation", "Inference",
                "ChainTypes", "JSONRPC", "Chain", "GoldenGrainNode", "P2P", "ETH", "StateTestRunner", "RPC", "Marketplace",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: optimised
        ),

        // Test support: where the tests find Genesis/, Examples/ and ../shared/{fixtures,vectors}, and one
        // loader for them. A regular target under Tests/ that only test targets depend on.
        .target(name: "TestSupport", path: "Tests/TestSupport"),

        .testTarget(name: "PrimitivesTests",
                    dependencies: ["TestSupport", "Primitives", .product(name: "BigInt", package: "BigInt")]),
        .testTarget(name: "SignaturesTests", dependencies: ["TestSupport", "Signatures", "Primitives"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "Primitives"]),
        .testTarget(name: "TrieModuleTests", dependencies: ["TestSupport", "Trie", "Storage", "Primitives"]),
        .testTarget(name: "StateTests", dependencies: ["State", "Trie", "Storage", "Primitives"]),
        .testTarget(name: "EVMTests", dependencies: ["TestSupport", "EVM", "Signatures", "Primitives"]),
        .testTarget(name: "ExecutionTests", dependencies: ["TestSupport", "Execution", "EVM", "State", "Primitives",
                                                       "Storage", "StateTestRunner"]),
        .testTarget(name: "AttestationTests", dependencies: ["TestSupport", "Attestation", "EVM", "Signatures", "Primitives"]),
        .testTarget(name: "InferenceTests", dependencies: ["TestSupport", "Inference", "EVM", "Signatures", "Primitives"]),
        .testTarget(name: "ChainTests", dependencies: ["TestSupport", "ChainTypes", "Chain", "Consensus", "Clique",
                                                  "GoldenGrainNode", "EVM", "Execution", "State",
                                                  "Signatures", "Primitives", "Storage", "Trie", "Attestation",
                                                  "Inference"]),
        .testTarget(name: "CliqueTests",
                    dependencies: ["TestSupport", "Clique", "Consensus", "ChainTypes", "Chain", "GoldenGrainNode",
                                   "Signatures", "Primitives", "Storage"]),
        .testTarget(name: "RPCTests",
                    dependencies: ["TestSupport", "RPC", "JSONRPC", "ChainTypes", "Chain", "GoldenGrainNode", "Clique", "EVM", "State", "Signatures", "Primitives", "Storage",
                                   .product(name: "Hummingbird", package: "hummingbird"),
                                   .product(name: "NIOCore", package: "swift-nio"),
                                   .product(name: "HummingbirdTesting", package: "hummingbird")]),
        .testTarget(name: "P2PTests", dependencies: ["TestSupport", "P2P", "Signatures", "Primitives",
                                                .product(name: "NIOCore", package: "swift-nio")]),
        .testTarget(name: "ETHTests",
                    dependencies: ["TestSupport", "ETH", "P2P", "ChainTypes", "Chain", "GoldenGrainNode", "Clique",
                                   "Signatures", "Primitives", "Storage", "State"]),
        .testTarget(name: "MarketplaceTests",
                    dependencies: ["Marketplace", "Signatures", "Primitives", "Inference", "Attestation"]),
    ]
)

// Benchmarks (ordo-one/benchmark) join the package only when GOLDENGRAIN_BENCHMARKS is set, as
// `make bench` does, so that `make test` and `make run` never build the benchmark toolchain.
if Context.environment["GOLDENGRAIN_BENCHMARKS"] != nil {
    package.dependencies.append(
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]))
    let benchmark = Target.Dependency.product(name: "Benchmark", package: "benchmark")
    package.targets += [
        .executableTarget(name: "FoundationBenchmarks", dependencies: [benchmark, "Primitives", "Signatures", "Storage", "Trie"],
                          path: "Benchmarks/FoundationBenchmarks",
                          plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        .executableTarget(name: "InferenceBenchmarks", dependencies: [benchmark, "Inference"],
                          path: "Benchmarks/InferenceBenchmarks",
                          plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        .executableTarget(name: "AttestationBenchmarks", dependencies: [benchmark, "Attestation", "EVM", "Primitives", "Signatures"],
                          path: "Benchmarks/AttestationBenchmarks",
                          plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        .executableTarget(name: "EVMBenchmarks",
                          dependencies: [benchmark, "Primitives", "Storage", "State", "EVM", "Execution",
                                         "StateTestRunner"],
                          path: "Benchmarks/EVMBenchmarks",
                          swiftSettings: optimised,
                          plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        .executableTarget(name: "ChainBenchmarks",
                          dependencies: [benchmark, "Primitives", "Signatures", "Storage", "ChainTypes", "Chain", "GoldenGrainNode"],
                          path: "Benchmarks/ChainBenchmarks",
                          swiftSettings: optimised,
                          plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        // A long state-growth run writing a CSV per step (issue 18 §2), not an ordo-one benchmark: its
        // directory is not directly under Benchmarks/, where the benchmark plugin takes every executable.
        .executableTarget(name: "StateGrowth",
                          dependencies: ["Primitives", "Signatures", "Storage", "ChainTypes", "Chain", "Execution",
                                         "GoldenGrainNode", .product(name: "Metrics", package: "swift-metrics")],
                          path: "Benchmarks/state/StateGrowth",
                          swiftSettings: optimised),
    ]
}

// MARK: fuzzing (issue 14 §2) ------------------------------------------------------------------
// libFuzzer + AddressSanitizer targets (Fuzz/, docs/reliability.md) join the package only when
// GOLDENGRAIN_FUZZ is set, as `make fuzz` does (scripts/fuzz.sh: its own scratch path .build-fuzz,
// -sanitize=fuzzer,address -parse-as-library). Each target names the library modules it fuzzes and
// has its own `@main`, which hands its test function to libFuzzer's driver (Fuzz/CFuzzerDriver).
if Context.environment["GOLDENGRAIN_FUZZ"] != nil {
    let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
        ("RLP", ["Primitives"]),
        ("Transaction", ["FuzzChainSupport", "ChainTypes", "Chain", "Primitives"]),
        ("Block", ["FuzzChainSupport", "ChainTypes", "State", "Primitives"]),
        ("Trie", ["Trie", "Storage", "Primitives"]),
        ("DCAP", ["Attestation", "EVM", "Primitives"]),
        ("Inference", ["Inference", "Primitives"]),
        ("Sealed", ["Signatures", "Inference", "Marketplace", "Primitives"]),
        ("JSON", ["Primitives"]),
        ("JSONRPC", ["JSONRPC", "RPC", "Chain", "ChainTypes", "Signatures", "Primitives"]),
        ("ABI", ["Marketplace", "Primitives"]),
        ("Genesis", ["ChainTypes", "Primitives"]),
        ("Client", ["Marketplace", "Primitives"]),
        ("P2P", ["P2P", "Signatures", "Primitives"]),
        ("ETH", ["FuzzChainSupport", "ETH", "ChainTypes", "State", "Primitives"]),
        ("Collateral", ["Attestation", "EVM", "Primitives"]),
        ("AnvilState", ["CZlib", "Chain", "State", "Primitives"]),
    ]
    package.targets += [
        .target(name: "CFuzzerDriver", path: "Fuzz/CFuzzerDriver"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzerDriver"], path: "Fuzz/Support"),
        // The system's zlib, a second gzip reader for the anvilstate target.
        .systemLibrary(name: "CZlib", path: "Fuzz/CZlib"),
        // Transactions and headers built from fuzz input, shared by the transaction and block targets.
        .target(name: "FuzzChainSupport", dependencies: ["FuzzSupport", "ChainTypes", "EVM", "State", "Signatures", "Primitives"],
                path: "Fuzz/ChainSupport"),
    ]
    for (name, dependencies) in fuzzTargets {
        package.targets.append(.executableTarget(name: "Fuzz\(name)", dependencies: ["FuzzSupport"] + dependencies,
                                                 path: "Fuzz/\(name)"))
    }
}
// MARK: end of fuzzing ---------------------------------------------------------------------------
