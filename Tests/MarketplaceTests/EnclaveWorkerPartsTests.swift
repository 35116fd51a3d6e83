import Foundation
import Inference
import Marketplace
import Primitives
import Signatures
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The enclave worker's parts without a node: fetching URIs, the scoring pipeline, the journal and
/// the SIMULATED key file. Expected figures come from outside the code under test: the example
/// model's 9722 bps (350/360) and logits hash are the ones Examples/models/README.md records.
@Suite struct EnclaveWorkerPartsTests {
    static let modelPath = TestSupport.packageRoot.appendingPathComponent("Examples/models/digits-h64.ggm").path
    static let floatModelPath = TestSupport.packageRoot.appendingPathComponent("Examples/models/digits-h64.ggf").path
    static let testSetPath = TestSupport.packageRoot.appendingPathComponent("Examples/digits/test.ggd").path
    /// Examples/models/README.md: the GGM file's keccak-256 and its logits hash on the test split.
    static let recordedModelHash = "0x55d9ab8cda48a296603f015084e15255bcec4d1355468ba54ac50448588958d3"
    static let recordedLogitsHash = "0x1a865d0d82c3ee4a345a338667efe661664304f7aacdcb975e6c57512ac8b9c9"

    static func read(_ path: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func scratchDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("worker-parts-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A task and a model sealed the way a provider and a developer seal them (docs/formats.md):
    /// fresh AES keys, GGE1 files, the keys ECIES-sealed to the enclave.
    struct Sealed {
        let enclave = PrivateKey.generate()
        let buyer = PrivateKey.generate()
        let testSet: [UInt8]
        let model: [UInt8]
        let testSetKey = SecureRandom.bytes(count: 32)
        let modelKey = SecureRandom.bytes(count: 32)
        var encryptedTestSet: [UInt8] = []
        var sealedTestSetKey: [UInt8] = []
        var encryptedModel: [UInt8] = []
        var sealedModelKey: [UInt8] = []

        init(model: [UInt8]? = nil) throws {
            testSet = try EnclaveWorkerPartsTests.read(EnclaveWorkerPartsTests.testSetPath)
            self.model = try model ?? EnclaveWorkerPartsTests.read(EnclaveWorkerPartsTests.modelPath)
            encryptedTestSet = try EncryptedModel.seal(testSet, key: testSetKey)
            sealedTestSetKey = ECIES.seal(testSetKey, to: enclave.publicKey)
            encryptedModel = try EncryptedModel.seal(self.model, key: modelKey)
            sealedModelKey = ECIES.seal(modelKey, to: enclave.publicKey)
        }

        func openTestSet() throws -> Dataset {
            try Benchmark.openTestSet(encrypted: encryptedTestSet, sealedKey: sealedTestSetKey,
                                      expectedHash: Keccak256.hash(testSet), enclaveKey: enclave)
        }

        func score(encrypted: [UInt8]? = nil, sealedKey: [UInt8]? = nil, expectedHash: Hash32? = nil,
                   testSet: Dataset? = nil) throws -> BenchmarkScore {
            Benchmark.scoreModel(encrypted: encrypted ?? encryptedModel, sealedKey: sealedKey ?? sealedModelKey,
                                 expectedHash: expectedHash ?? Keccak256.hash(model), testSet: try testSet ?? openTestSet(),
                                 enclaveKey: enclave, buyer: buyer.publicKey)
        }
    }

    // MARK: - Scoring

    @Test func scoresTheExampleModelAsRecorded() throws {
        let sealed = try Sealed()
        #expect(Keccak256.hash(sealed.model).description == Self.recordedModelHash)
        let testSet = try sealed.openTestSet()
        #expect(testSet.sampleCount == 360 && testSet.featureCount == 64)
        let score = try sealed.score(testSet: testSet)
        #expect(score.failure == nil)
        #expect(score.correct == 350 && score.total == 360)
        #expect(score.accuracyBps == 9722)  // ⌊10000 · 350 / 360⌋ = ⌊9722.2…⌋
        #expect(score.logitsHash.description == Self.recordedLogitsHash)
        // keyForBuyer is K sealed to the buyer: only the buyer's key opens it, and it is K.
        #expect(score.keyForBuyer.count == 32 + ECIES.overhead)
        #expect(try ECIES.open(score.keyForBuyer, with: sealed.buyer) == sealed.modelKey)
        #expect(throws: ECIESError.authenticationFailed) { try ECIES.open(score.keyForBuyer, with: sealed.enclave) }
        // The score does not depend on the GEMM's thread count.
        let threaded = Benchmark.scoreModel(encrypted: sealed.encryptedModel, sealedKey: sealed.sealedModelKey,
                                            expectedHash: Keccak256.hash(sealed.model), testSet: testSet,
                                            enclaveKey: sealed.enclave, buyer: sealed.buyer.publicKey, threadCount: 3)
        #expect(threaded.accuracyBps == 9722 && threaded.logitsHash == score.logitsHash)
    }

    /// Every way a model can be bad scores 0 with logitsHash 0, no key, and the reason.
    @Test func badModelsScoreZeroWithTheReason() throws {
        let sealed = try Sealed()
        let testSet = try sealed.openTestSet()
        let modelHash = Keccak256.hash(sealed.model)
        func expectZero(_ score: BenchmarkScore, _ expected: BenchmarkError, _ text: String,
                        sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(score.accuracyBps == 0, sourceLocation: sourceLocation)
            #expect(score.logitsHash == .zero, sourceLocation: sourceLocation)
            #expect(score.keyForBuyer.isEmpty, sourceLocation: sourceLocation)
            #expect(score.failure == expected, sourceLocation: sourceLocation)
            #expect(score.failure?.description.contains(text) == true, "\(String(describing: score.failure))",
                    sourceLocation: sourceLocation)
        }

        // One flipped ciphertext byte: GCM's tag fails.
        var corrupt = sealed.encryptedModel
        corrupt[corrupt.count / 2] ^= 0x01
        expectZero(try sealed.score(encrypted: corrupt, testSet: testSet), .notDecrypted(.model, .authenticationFailed),
                   "model does not decrypt")
        // Not a GGE1 file at all (the plaintext model uploaded as is).
        expectZero(try sealed.score(encrypted: sealed.model, testSet: testSet),
                   .notDecrypted(.model, .badMagic(format: "GGE1", found: Array("GGM1".utf8))), "bad magic")
        // The key sealed to someone else.
        expectZero(try sealed.score(sealedKey: ECIES.seal(sealed.modelKey, to: PrivateKey.generate().publicKey), testSet: testSet),
                   .keyNotOpened(.model, .authenticationFailed), "does not open with the enclave key")
        // A sealed key too short to be ECIES.
        expectZero(try sealed.score(sealedKey: [1, 2, 3], testSet: testSet),
                   .keyNotOpened(.model, .tooShort(length: 3, minimum: 93)), "3 bytes")
        // A sealed key that opens to 16 bytes instead of 32.
        expectZero(try sealed.score(sealedKey: ECIES.seal(Array(sealed.modelKey.prefix(16)), to: sealed.enclave.publicKey),
                                    testSet: testSet),
                   .wrongKeyLength(.model, 16), "16 bytes, expected 32")
        // The chain's modelHash differs from the file's.
        let wrongHash = Keccak256.hash(Array("another model".utf8))
        expectZero(try sealed.score(expectedHash: wrongHash, testSet: testSet),
                   .hashMismatch(.model, expected: wrongHash, actual: modelHash), "hash mismatch")
        // A float GGF model, correctly encrypted and hashed: not a GGM file.
        let float = try Sealed(model: Self.read(Self.floatModelPath))
        expectZero(try float.score(testSet: testSet),
                   .unparsable(.model, .badMagic(format: "GGM1", found: Array("GGF1".utf8))), "not a valid GGM file")
        // A GGM file cut short (its own hash on chain, so only the parser objects).
        let truncated = try Sealed(model: Array(sealed.model.prefix(100)))
        let truncatedScore = try truncated.score(testSet: testSet)
        #expect(truncatedScore.accuracyBps == 0 && truncatedScore.keyForBuyer.isEmpty)
        guard case .unparsable(.model, .truncated)? = truncatedScore.failure else {
            Issue.record("expected a truncated-model failure, got \(String(describing: truncatedScore.failure))")
            return
        }
        // A model that does not fit the test set (32 features instead of 64).
        let narrow = try Dataset(features: [Int8](repeating: 1, count: 2 * 32), labels: [0, 1], featureCount: 32)
        expectZero(try sealed.score(testSet: narrow), .incompatible(.featureCountMismatch(datasetFeatures: 32, modelInputs: 64)),
                   "does not fit the test set")
    }

    @Test func badTestSetsAndBuyerKeysAreTheTasks() throws {
        let sealed = try Sealed()
        let wrongHash = Keccak256.hash(Array("another test set".utf8))
        #expect(throws: BenchmarkError.hashMismatch(.testSet, expected: wrongHash, actual: Keccak256.hash(sealed.testSet))) {
            try Benchmark.openTestSet(encrypted: sealed.encryptedTestSet, sealedKey: sealed.sealedTestSetKey,
                                      expectedHash: wrongHash, enclaveKey: sealed.enclave)
        }
        #expect(throws: BenchmarkError.keyNotOpened(.testSet, .authenticationFailed)) {
            try Benchmark.openTestSet(encrypted: sealed.encryptedTestSet, sealedKey: sealed.sealedTestSetKey,
                                      expectedHash: Keccak256.hash(sealed.testSet), enclaveKey: PrivateKey.generate())
        }
        // A GGM file posing as the test set.
        let notGGD = try EncryptedModel.seal(sealed.model, key: sealed.testSetKey)
        #expect(throws: BenchmarkError.unparsable(.testSet, .badMagic(format: "GGD1", found: Array("GGM1".utf8)))) {
            try Benchmark.openTestSet(encrypted: notGGD, sealedKey: sealed.sealedTestSetKey,
                                      expectedHash: Keccak256.hash(sealed.model), enclaveKey: sealed.enclave)
        }
        #expect(try Benchmark.buyerKey(sealed.buyer.publicKey.bytes) == sealed.buyer.publicKey)
        // 64 bytes that are not a point (x = 0, y = 0), and a 65-byte form the contract would not hold.
        #expect(throws: BenchmarkError.self) { try Benchmark.buyerKey([UInt8](repeating: 0, count: 64)) }
        #expect(throws: BenchmarkError.invalidBuyerKey(length: 65, reason: "expected 64 bytes x ‖ y")) {
            try Benchmark.buyerKey(sealed.buyer.publicKey.uncompressedBytes)
        }
    }

    // MARK: - Fetching

    @Test func fetchesFileURIsAndRefusesBadOnes() async throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let bytes = (0 ..< 1000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let spaced = directory + "/a file.gge"
        try Data(bytes).write(to: URL(fileURLWithPath: spaced))
        let fetcher = URIFetcher()
        #expect(try await fetcher.fetch("file://" + directory + "/a%20file.gge") == bytes)
        #expect(try await fetcher.fetch("file://localhost" + directory + "/a%20file.gge") == bytes)

        func expectFailure(_ uri: String, _ text: String, fetcher: URIFetcher = URIFetcher(),
                           sourceLocation: SourceLocation = #_sourceLocation) async {
            do {
                let fetched = try await fetcher.fetch(uri)
                Issue.record("\(uri) fetched \(fetched.count) bytes, expected a failure", sourceLocation: sourceLocation)
            } catch {
                #expect(error.uri == uri, sourceLocation: sourceLocation)
                #expect(!error.isTransient, sourceLocation: sourceLocation)
                #expect(error.description.contains(text), "\(error)", sourceLocation: sourceLocation)
            }
        }
        await expectFailure("file://" + directory + "/missing.gge", "no such file \(directory)/missing.gge")
        await expectFailure("file://" + directory, "is a directory")
        await expectFailure("file://example.com/etc/hosts", "names host \"example.com\"")
        await expectFailure(directory + "/a file.gge", "expected file://, http:// or https://")
        await expectFailure("ftp://example.com/model.gge", "unsupported scheme \"ftp\"")
        await expectFailure("ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi", "unsupported scheme \"ipfs\"")
        await expectFailure("file://" + directory + "/a%20file.gge", "1000 bytes, more than the 999 accepted",
                            fetcher: URIFetcher(maximumBytes: 999))
    }

    @Test func fetchesHTTPURIs() async throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let bytes = SecureRandom.bytes(count: 70_000)
        try Data(bytes).write(to: URL(fileURLWithPath: directory + "/model.gge"))
        let server = try StaticHTTPServer(directory: directory)
        defer { server.stop() }
        let fetcher = URIFetcher(timeout: .seconds(10))
        #expect(try await fetcher.fetch("http://127.0.0.1:\(server.port)/model.gge") == bytes)
        // A 404 is final; a refused connection may pass.
        do {
            _ = try await fetcher.fetch("http://127.0.0.1:\(server.port)/missing.gge")
            Issue.record("a missing file was fetched")
        } catch {
            #expect(error.reason == "HTTP status 404, expected 200")
            #expect(!error.isTransient)
        }
        do {
            _ = try await URIFetcher(maximumBytes: 1000).fetch("http://127.0.0.1:\(server.port)/model.gge")
            Issue.record("an oversized body was accepted")
        } catch {
            #expect(error.reason.contains("more than the 1000 bytes accepted"), "\(error)")
            #expect(!error.isTransient)
        }
        // AsyncHTTPClient retries a refused connection until the request's deadline.
        let closed = try DevNode.freePort()
        do {
            _ = try await URIFetcher(timeout: .seconds(1)).fetch("http://127.0.0.1:\(closed)/model.gge")
            Issue.record("a closed port answered")
        } catch {
            #expect(error.isTransient)
            #expect(error.reason.hasPrefix("HTTP GET failed"), "\(error)")
        }
    }

    // MARK: - Journal

    @Test func journalKeepsTheNewestEntryPerModelAcrossReopening() throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/" + WorkerJournal.fileName
        let raw1 = SecureRandom.bytes(count: 150), raw2 = SecureRandom.bytes(count: 151), raw3 = SecureRandom.bytes(count: 152)
        let first = WorkerJournal.Entry(modelId: 7, transactionHash: Keccak256.hash(raw1), rawTransaction: raw1, accuracyBps: 9722)
        let other = WorkerJournal.Entry(modelId: 8, transactionHash: Keccak256.hash(raw2), rawTransaction: raw2, accuracyBps: 0)
        let again = WorkerJournal.Entry(modelId: 7, transactionHash: Keccak256.hash(raw3), rawTransaction: raw3, accuracyBps: 9722)
        do {
            let journal = try WorkerJournal(path: path)
            #expect(journal.modelIds.isEmpty)
            try journal.record(first)
            try journal.record(other)
            try journal.record(again)
            #expect(journal.entry(for: 7) == again)
        }
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        let reopened = try WorkerJournal(path: path)
        #expect(reopened.modelIds == [7, 8])
        #expect(reopened.entry(for: 7) == again)
        #expect(reopened.entry(for: 8) == other)
        #expect(reopened.entry(for: 9) == nil)
        #expect(reopened.ignoredLines.isEmpty)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 3)
        #expect(text.contains("\"model\":\"7\",\"tx\":\"\(Keccak256.hash(raw1))\""))
    }

    @Test func journalIgnoresAWriteCutShortAndForgedLines() throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/" + WorkerJournal.fileName
        let raw = SecureRandom.bytes(count: 120)
        let entry = WorkerJournal.Entry(modelId: 3, transactionHash: Keccak256.hash(raw), rawTransaction: raw, accuracyBps: 5000)
        try WorkerJournal(path: path).record(entry)
        // A line whose raw bytes do not hash to its tx, then a crash in the middle of a line.
        let forged = "{\"model\":\"4\",\"tx\":\"\(Keccak256.hash([1]))\",\"raw\":\"0x02\",\"accuracyBps\":1,\"time\":0}\n"
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((forged + "{\"model\":\"5\",\"tx\":\"0x12").utf8))
        try handle.close()
        let reopened = try WorkerJournal(path: path)
        #expect(reopened.modelIds == [3])
        #expect(reopened.entry(for: 3) == entry)
        #expect(reopened.ignoredLines.count == 2)
        #expect(reopened.ignoredLines.first?.line == 2)
        #expect(reopened.ignoredLines.first?.reason.contains("raw transaction hashes to \(Keccak256.hash([2]))") == true)
        #expect(reopened.ignoredLines.last?.line == 3)
        #expect(reopened.ignoredLines.last?.reason == "no newline at the end: a write cut short")
    }

    // MARK: - Key file

    @Test func simulatedKeyFileIsMadeOnceAndLabelled() throws {
        let directory = try Self.scratchDirectory() + "/nested/enclave"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (key, created) = try SimulatedEnclaveKeyFile.loadOrCreate(datadir: directory)
        #expect(created)
        let path = directory + "/enclave-key.SIMULATED.hex"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("# SIMULATED enclave key — INSECURE"))
        #expect(text.contains("# address \(key.address)"))
        #expect(text.contains(Hex.encode(key.bytes)))
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
        let (again, createdAgain) = try SimulatedEnclaveKeyFile.loadOrCreate(datadir: directory)
        #expect(!createdAgain)
        #expect(again == key)
        try Data("# two keys\n\(Hex.encode(key.bytes))\n\(Hex.encode(key.bytes))\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: SimulatedEnclaveKeyFileError.invalid(path: path, reason: "2 key lines, expected exactly one line of 64 hex digits")) {
            try SimulatedEnclaveKeyFile.load(path: path)
        }
    }

    @Test func webSocketURLFollowsTheHTTPURL() {
        #expect(LogFollower.webSocketURL(for: "http://127.0.0.1:8545") == "ws://127.0.0.1:8545")
        #expect(LogFollower.webSocketURL(for: "https://rpc.example.org/v1") == "wss://rpc.example.org/v1")
        #expect(LogFollower.webSocketURL(for: "ipc:///tmp/geth.ipc") == nil)
    }
}

/// `python3 -m http.server` on a free port, serving a directory.
final class StaticHTTPServer: @unchecked Sendable {
    let process = Process()
    let port: Int

    init(directory: String) throws {
        port = try DevNode.freePort()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "http.server", "--bind", "127.0.0.1", "--directory", directory, String(port)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            if Self.accepts(port: port) { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        stop()
        throw SubprocessFailure(description: "python3 -m http.server did not listen on \(port) within 15 s")
    }

    static func accepts(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// SIGKILL: the test runner's threads block SIGTERM and its children inherit that mask, so
    /// Python's default SIGTERM action would never run.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}
