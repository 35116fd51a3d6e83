import Testing
import EVM
import Primitives

/// Every vector of ../shared/fixtures/precompiles, by name, through `PrecompileRegistry.cancun()`:
/// the exact output bytes and the exact gas. The files are go-ethereum's precompile vectors
/// (`core/vm/testdata/precompiles`); p256Verify.json holds the EIP-7951 vectors (Wycheproof cases).
@Suite struct PrecompileVectorTests {
    /// Checks one success vector: the call succeeds with exactly `Expected` and costs exactly `Gas`.
    private func check(_ vector: PrecompileVector, at address: UInt32, checkGas: Bool = true) {
        let (gas, output) = PrecompileCaller.call(address, vector.inputBytes)
        #expect(output == .success(vector.expectedBytes), "\(vector.name)")
        if checkGas { #expect(gas == vector.gas, "\(vector.name)") }
    }

    @Test(arguments: PrecompileVectors.load("ecRecover"))
    func ecRecover(_ vector: PrecompileVector) { check(vector, at: 0x01) }

    /// EIP-2565 pricing is in force (Berlin and later), so these vectors check output and gas.
    @Test(arguments: PrecompileVectors.load("modexp_eip2565"))
    func modexpEIP2565(_ vector: PrecompileVector) { check(vector, at: 0x05) }

    /// modexp.json prices with EIP-198's pre-Berlin formula, which no longer applies: its vectors
    /// check the output only.
    @Test(arguments: PrecompileVectors.load("modexp"))
    func modexpEIP198OutputOnly(_ vector: PrecompileVector) { check(vector, at: 0x05, checkGas: false) }

    @Test(arguments: PrecompileVectors.load("bn256Add"))
    func bn256Add(_ vector: PrecompileVector) { check(vector, at: 0x06) }

    @Test(arguments: PrecompileVectors.load("bn256ScalarMul"))
    func bn256ScalarMul(_ vector: PrecompileVector) { check(vector, at: 0x07) }

    @Test(arguments: PrecompileVectors.load("bn256Pairing"))
    func bn256Pairing(_ vector: PrecompileVector) { check(vector, at: 0x08) }

    @Test(arguments: PrecompileVectors.load("blake2F"))
    func blake2F(_ vector: PrecompileVector) { check(vector, at: 0x09) }

    /// Expected failures: the call must fail (consuming its gas); go-ethereum's error text is not
    /// compared.
    @Test(arguments: PrecompileVectors.load("fail-blake2f"))
    func blake2FFailure(_ vector: PrecompileVector) {
        let (_, output) = PrecompileCaller.call(0x09, vector.inputBytes)
        guard case .failure = output else {
            Issue.record("\(vector.name): expected a failure (\(vector.expectedError ?? "")), got \(output)")
            return
        }
    }

    @Test(arguments: PrecompileVectors.load("p256Verify"))
    func p256Verify(_ vector: PrecompileVector) { check(vector, at: 0x100) }

    /// Each file is found and holds the number of cases it had when these tests were written, so a
    /// missing or truncated fixture fails instead of running zero cases.
    @Test(arguments: [
        ("ecRecover", 5), ("modexp_eip2565", 47), ("modexp", 17), ("bn256Add", 16), ("bn256ScalarMul", 19),
        ("bn256Pairing", 14), ("blake2F", 5), ("fail-blake2f", 4), ("p256Verify", 782),
    ])
    func vectorFilesHaveAllCases(file: String, count: Int) {
        #expect(PrecompileVectors.load(file).count == count, "\(PrecompileVectors.directory.path)/\(file).json")
    }
}
