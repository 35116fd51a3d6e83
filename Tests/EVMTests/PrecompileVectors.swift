import Foundation
import EVM
import Primitives
import TestSupport

/// One case of the precompile vector files in ../shared/fixtures/precompiles (go-ethereum's
/// `core/vm/testdata/precompiles` format): a JSON list of {Input, Expected, Gas, Name}, hex without
/// 0x, or {Input, ExpectedError, Name} for the files of expected failures.
struct PrecompileVector: Decodable, Sendable, CustomStringConvertible {
    /// The case's name in the file.
    let name: String
    /// The hex call data.
    let input: String
    /// The hex return data, absent for an expected failure.
    let expected: String?
    /// The gas the precompile charges, absent for an expected failure.
    let gas: UInt64?
    /// go-ethereum's error text for an expected failure (we check that the call fails, not the text).
    let expectedError: String?

    enum CodingKeys: String, CodingKey {
        case name = "Name", input = "Input", expected = "Expected", gas = "Gas", expectedError = "ExpectedError"
    }

    var description: String { name }

    /// The call data.
    var inputBytes: [UInt8] { try! [UInt8](hex: input) }
    /// The expected return data.
    var expectedBytes: [UInt8] { try! [UInt8](hex: expected ?? "") }
}

/// Loads the vector files in place from the `shared` folder beside the package checkout.
enum PrecompileVectors {
    /// ../shared/fixtures/precompiles.
    static let directory = TestFiles.fixture("precompiles")

    /// Every case of one file, or no cases if the file cannot be read (`vectorFilesHaveAllCases`
    /// then fails, so a missing fixture never passes silently).
    /// - Parameter file: the file name without ".json".
    /// - Returns: the cases in file order.
    static func load(_ file: String) -> [PrecompileVector] {
        (try? TestFiles.decode([PrecompileVector].self, at: directory.appendingPathComponent(file + ".json"))) ?? []
    }
}

/// Runs precompiles through the public registry, as the EVM will.
enum PrecompileCaller {
    static let registry = PrecompileRegistry.cancun()
    static let context = PrecompileContext(blockNumber: 1, timestamp: 1_700_000_000, chainId: 1)

    /// The precompile at a small address.
    static func precompile(_ number: UInt32) -> any Precompile {
        registry.precompile(at: Address(precompileNumber: number))!
    }

    /// The gas and result of calling the precompile at `number` with `input`.
    static func call(_ number: UInt32, _ input: [UInt8]) -> (gas: UInt64, output: PrecompileOutput) {
        let precompile = precompile(number)
        return (precompile.requiredGas(input: input), precompile.run(input: input, context: context))
    }
}
