import Testing
import Primitives
import Signatures

/// ethereum/tests BasicTests/keyaddrtest.json: a key, its address, and a signature of the empty
/// string (v, r, s in decimal). Read in place from ../shared/fixtures.
struct KeyAddressVector: Decodable, Sendable, CustomTestStringConvertible {
    struct SignatureOfEmptyString: Decodable, Sendable {
        let v: String, r: String, s: String
    }
    let seed: String
    let key: String
    let addr: String
    let sig_of_emptystring: SignatureOfEmptyString

    var testDescription: String { seed }

    static let all = TestSupport.load([KeyAddressVector].self, "ethereum-tests/BasicTests/keyaddrtest.json")
}

@Suite struct KeyAddressVectorTests {
    @Test(arguments: KeyAddressVector.all)
    func keyGivesAddress(_ vector: KeyAddressVector) throws {
        let key = try PrivateKey(bytes: TestSupport.bytes(vector.key))
        #expect(key.address.bytes == TestSupport.bytes(vector.addr))
    }
    // `sig_of_emptystring` is not checked: the fixture does not say which 32-byte hash of the empty
    // string was signed, and neither keccak256(""), sha256(""), sha256d(""), the zero hash nor the
    // Bitcoin/Ethereum signed-message hashes of "" recover the fixture's address from it.
}
