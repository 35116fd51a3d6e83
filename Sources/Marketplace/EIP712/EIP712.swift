import Primitives
import Signatures

/// EIP-712 typed structured data hashing and signing (eips.ethereum.org/EIPS/eip-712).
///
/// - `encodeType(S)` = "S(type1 name1,…)" followed by every struct type S references, directly or
///   through other structs, sorted by name, each spelled the same way.
/// - `typeHash(S)` = keccak256(encodeType(S)).
/// - `hashStruct(s)` = keccak256(typeHash ‖ encodeData(s)), where encodeData concatenates one
///   32-byte word per member: atomic types as their ABI word (bytesN left-aligned, integers
///   sign- or zero-extended, address, bool); `bytes` and `string` as keccak256 of their contents;
///   arrays as keccak256 of their elements' words concatenated; a nested struct as its hashStruct.
/// - The digest a wallet signs is keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ hashStruct(message)),
///   with domainSeparator = hashStruct of the `EIP712Domain` struct.
///
/// Signatures here are 65 bytes r ‖ s ‖ v with v ∈ {27, 28} and s ≤ n/2 (libsecp256k1 always
/// signs low-s, RFC 6979 nonces), as eth-account's `sign_message` and OpenZeppelin's/snekmate's
/// ECDSA `recover` expect.
public enum EIP712 {
    /// The digest to sign: keccak256(0x19 0x01 ‖ domainSeparator ‖ structHash).
    /// - Parameters:
    ///   - domainSeparator: the domain's hashStruct.
    ///   - structHash: the message's hashStruct.
    /// - Returns: the 32-byte digest.
    public static func digest(domainSeparator: Hash32, structHash: Hash32) -> Hash32 {
        Keccak256.hash([0x19, 0x01] + domainSeparator.bytes + structHash.bytes)
    }

    /// Signs a digest as r ‖ s ‖ v with v = 27 + recovery id.
    /// - Parameters:
    ///   - digest: the EIP-712 digest.
    ///   - key: the signer's key.
    /// - Returns: 65 bytes, low s.
    public static func sign(digest: Hash32, with key: PrivateKey) -> [UInt8] {
        let signature = key.sign(hash: digest)
        return signature.r.bytes + signature.s.bytes + [27 + signature.recoveryId]
    }

    /// The address that signed a digest, with the checks a contract applies (exactly 65 bytes,
    /// v ∈ {27, 28}, s ≤ n/2).
    /// - Parameters:
    ///   - digest: the EIP-712 digest.
    ///   - signature: r ‖ s ‖ v.
    /// - Returns: the signer's address.
    /// - Throws: `EIP712Error.invalidSignature` naming what is wrong.
    public static func recoverSigner(digest: Hash32, signature: [UInt8]) throws(EIP712Error) -> Address {
        guard signature.count == 65 else { throw .invalidSignature("\(signature.count) bytes, expected 65") }
        guard signature[64] == 27 || signature[64] == 28 else {
            throw .invalidSignature("v = \(signature[64]), expected 27 or 28")
        }
        do {
            let parsed = try RecoverableSignature(bytes: signature)
            guard parsed.isLowS else { throw EIP712Error.invalidSignature("s is above n/2 (malleable form)") }
            return try parsed.recoverAddress(from: digest)
        } catch let error as EIP712Error {
            throw error
        } catch {
            throw .invalidSignature("\(error)")
        }
    }
}

/// A set of EIP-712 struct type definitions and the hashing rules over them.
public struct EIP712Types: Sendable, Hashable {
    /// One member of a struct type.
    public struct Field: Hashable, Sendable {
        /// The member's name.
        public let name: String
        /// Its type: an ABI atomic or dynamic type, another struct's name, or either with array suffixes.
        public let type: String

        /// Creates a member.
        /// - Parameters:
        ///   - name: the name.
        ///   - type: the type's text.
        public init(_ name: String, _ type: String) {
            self.name = name
            self.type = type
        }
    }

    /// Struct name → members in order.
    public let definitions: [String: [Field]]

    /// Creates a type set.
    /// - Parameter definitions: struct name → members in order.
    public init(_ definitions: [String: [Field]]) {
        self.definitions = definitions
    }

    /// encodeType: "Name(type name,…)" and then the referenced structs sorted by name.
    /// - Parameter primaryType: the struct to encode.
    /// - Returns: the type string.
    /// - Throws: `EIP712Error.unknownType` for a name not defined here.
    public func encodeType(_ primaryType: String) throws(EIP712Error) -> String {
        var found: Set<String> = []
        try collectDependencies(of: primaryType, into: &found)
        found.remove(primaryType)
        var text = ""
        for name in [primaryType] + found.sorted() { text += try spell(name) }
        return text
    }

    /// typeHash = keccak256(encodeType(primaryType)).
    /// - Parameter primaryType: the struct.
    /// - Returns: the hash.
    /// - Throws: `EIP712Error.unknownType`.
    public func typeHash(_ primaryType: String) throws(EIP712Error) -> Hash32 {
        Keccak256.hash(Array(try encodeType(primaryType).utf8))
    }

    /// hashStruct = keccak256(typeHash ‖ encodeData(value)).
    /// - Parameters:
    ///   - primaryType: the struct's name.
    ///   - value: a `.tuple` with one value per member, in the members' order (nested structs as
    ///     `.tuple`s, arrays as `.array`s).
    /// - Returns: the hash.
    /// - Throws: `EIP712Error` naming the member whose value does not fit.
    public func hashStruct(_ primaryType: String, _ value: ABIValue) throws(EIP712Error) -> Hash32 {
        guard let fields = definitions[primaryType] else { throw .unknownType(primaryType) }
        guard case .tuple(let members) = value, members.count == fields.count else {
            throw .valueMismatch(member: primaryType, type: primaryType,
                                 reason: "expected a tuple of \(fields.count) members, got \(value.kindName)")
        }
        var encoded = try typeHash(primaryType).bytes
        for (field, member) in zip(fields, members) {
            encoded += try encodeField(type: field.type, value: member, member: "\(primaryType).\(field.name)")
        }
        return Keccak256.hash(encoded)
    }

    /// One member's 32-byte word.
    func encodeField(type: String, value: ABIValue, member: String) throws(EIP712Error) -> [UInt8] {
        if definitions[type] != nil {
            return try hashStruct(type, value).bytes
        }
        if type.hasSuffix("]"), let open = type.lastIndex(of: "[") {
            let element = String(type[..<open])
            let dimension = type[type.index(after: open)..<type.index(before: type.endIndex)]
            guard case .array(let elements) = value else {
                throw .valueMismatch(member: member, type: type, reason: "expected an array, got \(value.kindName)")
            }
            if !dimension.isEmpty, Int(dimension) != elements.count {
                throw .valueMismatch(member: member, type: type, reason: "expected \(dimension) elements, got \(elements.count)")
            }
            var concatenated: [UInt8] = []
            for (index, element_) in elements.enumerated() {
                concatenated += try encodeField(type: element, value: element_, member: "\(member)[\(index)]")
            }
            return Keccak256.hash(concatenated).bytes
        }
        let abiType: ABIType
        do { abiType = try ABIType(parsing: type) } catch { throw .unknownType(type) }
        switch (abiType, value) {
        case (.bytes, .bytes(let bytes)): return Keccak256.hash(bytes).bytes
        case (.string, .string(let text)): return Keccak256.hash(Array(text.utf8)).bytes
        case (.tuple, _), (.array, _), (.fixedArray, _):
            throw .unknownType(type)
        default:
            do { return try ABI.encode(value, as: abiType) } catch {
                throw .valueMismatch(member: member, type: type, reason: error.description)
            }
        }
    }

    func collectDependencies(of name: String, into found: inout Set<String>) throws(EIP712Error) {
        guard !found.contains(name) else { return }
        guard let fields = definitions[name] else { throw .unknownType(name) }
        found.insert(name)
        for field in fields {
            let base = String(field.type.prefix { $0 != "[" })
            if definitions[base] != nil { try collectDependencies(of: base, into: &found) }
        }
    }

    func spell(_ name: String) throws(EIP712Error) -> String {
        guard let fields = definitions[name] else { throw .unknownType(name) }
        return name + "(" + fields.map { "\($0.type) \($0.name)" }.joined(separator: ",") + ")"
    }
}

/// The EIP-712 domain: the members present, in the order EIP-712 lists them (name, version,
/// chainId, verifyingContract, salt); absent members are left out of the `EIP712Domain` type.
public struct EIP712Domain: Hashable, Sendable {
    /// The signing domain's name ("GoldenGrain").
    public var name: String?
    /// Its version ("1").
    public var version: String?
    /// EIP-155 chain id.
    public var chainId: UInt256?
    /// The contract that verifies the signature.
    public var verifyingContract: Address?
    /// A disambiguating salt.
    public var salt: Hash32?

    /// Creates a domain.
    /// - Parameters:
    ///   - name: the name.
    ///   - version: the version.
    ///   - chainId: the chain id.
    ///   - verifyingContract: the verifying contract.
    ///   - salt: the salt.
    public init(name: String? = nil, version: String? = nil, chainId: UInt256? = nil,
                verifyingContract: Address? = nil, salt: Hash32? = nil) {
        self.name = name
        self.version = version
        self.chainId = chainId
        self.verifyingContract = verifyingContract
        self.salt = salt
    }

    /// The GoldenGrain marketplace's domain: {name "GoldenGrain", version "1", chainId, contract}.
    /// - Parameters:
    ///   - chainId: the chain id.
    ///   - marketplace: the marketplace contract's address.
    /// - Returns: the domain.
    public static func goldenGrain(chainId: UInt256, marketplace: Address) -> EIP712Domain {
        EIP712Domain(name: "GoldenGrain", version: "1", chainId: chainId, verifyingContract: marketplace)
    }

    /// The `EIP712Domain` members present and their values.
    var members: [(EIP712Types.Field, ABIValue)] {
        var members: [(EIP712Types.Field, ABIValue)] = []
        if let name { members.append((.init("name", "string"), .string(name))) }
        if let version { members.append((.init("version", "string"), .string(version))) }
        if let chainId { members.append((.init("chainId", "uint256"), .uint(chainId))) }
        if let verifyingContract { members.append((.init("verifyingContract", "address"), .address(verifyingContract))) }
        if let salt { members.append((.init("salt", "bytes32"), .bytes32(salt))) }
        return members
    }

    /// hashStruct of the domain: the domain separator.
    public var separator: Hash32 {
        let members = self.members
        let types = EIP712Types(["EIP712Domain": members.map(\.0)])
        do {
            return try types.hashStruct("EIP712Domain", .tuple(members.map(\.1)))
        } catch {
            preconditionFailure("the domain's own members failed to hash: \(error)")
        }
    }
}

/// Why typed data could not be hashed or a signature checked.
public enum EIP712Error: Error, Equatable, Sendable, CustomStringConvertible {
    /// A struct name is referenced but not defined, or a type is not an EIP-712 type.
    case unknownType(String)
    /// A member's value does not fit its type.
    case valueMismatch(member: String, type: String, reason: String)
    /// A signature is not 65 bytes r ‖ s ‖ v with v ∈ {27, 28} and low s, or recovers nothing.
    case invalidSignature(String)

    public var description: String {
        switch self {
        case .unknownType(let name): return "EIP-712 type \"\(name)\" is not defined"
        case .valueMismatch(let member, let type, let reason): return "EIP-712 member \(member) of type \(type): \(reason)"
        case .invalidSignature(let reason): return "invalid EIP-712 signature: \(reason)"
        }
    }
}
