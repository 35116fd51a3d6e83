import Primitives

// The boundary between the interpreter and everything it runs against, shaped after EVMC's host
// interface (the one evmone and its state-test runner use): the interpreter executes one frame's
// bytecode and asks the host for state, for block/transaction values, and to run nested calls and
// creates. The host owns accounts, the journal, value transfers, snapshots, precompiles and
// CREATE address rules; the interpreter owns the stack, memory, gas metering and opcode semantics.
//
// The interpreter is generic over `Host`, so each call below is statically dispatched after
// specialization: no existential dispatch in the hot loop.

/// The kind of a call frame.
public enum CallKind: UInt8, Sendable {
    /// CALL, or a transaction's message call.
    case call
    /// DELEGATECALL: runs `codeAddress`'s code in the caller's context, keeping sender and value.
    case delegateCall
    /// CALLCODE: runs `codeAddress`'s code with the caller as recipient.
    case callCode
    /// CREATE, or a contract-creation transaction.
    case create
    /// CREATE2 (EIP-1014): the new address comes from sender, salt and init-code hash.
    case create2
}

/// A request to run a frame: a transaction's top-level call or a CALL-family/CREATE-family opcode.
public struct Message: Sendable {
    /// What kind of frame this is.
    public var kind: CallKind
    /// Whether state changes are forbidden (STATICCALL, or inherited from a static caller).
    public var isStatic: Bool
    /// Call depth: 0 for the transaction's frame; a message at depth > 1024 fails.
    public var depth: Int
    /// Gas made available to the frame.
    public var gas: Int64
    /// The account whose storage, balance and address (ADDRESS) the frame uses.
    /// For CREATE/CREATE2 the host computes it; the field is ignored on input.
    public var recipient: Address
    /// The caller (CALLER).
    public var sender: Address
    /// Call data, or init code for CREATE/CREATE2.
    public var input: [UInt8]
    /// Value transferred (CALLVALUE). For DELEGATECALL, the parent's value, and nothing moves.
    public var value: UInt256
    /// CREATE2's salt.
    public var salt: UInt256
    /// Where the code comes from; differs from `recipient` for DELEGATECALL and CALLCODE.
    public var codeAddress: Address

    /// Creates a message.
    public init(kind: CallKind, isStatic: Bool = false, depth: Int = 0, gas: Int64, recipient: Address,
                sender: Address, input: [UInt8] = [], value: UInt256 = .zero, salt: UInt256 = .zero,
                codeAddress: Address) {
        self.kind = kind; self.isStatic = isStatic; self.depth = depth; self.gas = gas
        self.recipient = recipient; self.sender = sender; self.input = input; self.value = value
        self.salt = salt; self.codeAddress = codeAddress
    }
}

/// How a frame ended. Halts are results, not thrown errors (STYLE.md; evmone status codes).
public enum StatusCode: UInt8, Sendable, Equatable {
    /// STOP, RETURN, SELFDESTRUCT, or running off the end of the code.
    case success
    /// REVERT: state changes undone, remaining gas returned, output is the revert data.
    case revert
    /// A generic failure consuming all gas (used by the host for nested failures).
    case failure
    /// Gas ran out.
    case outOfGas
    /// The designated invalid instruction 0xFE.
    case invalidInstruction
    /// An opcode not defined in Cancun.
    case undefinedInstruction
    /// The stack would exceed 1024 items.
    case stackOverflow
    /// An opcode needed more stack items than present.
    case stackUnderflow
    /// JUMP/JUMPI to a position that is not a JUMPDEST.
    case badJumpDestination
    /// RETURNDATACOPY past the end of the return data, or a memory offset/size that cannot fit.
    case invalidMemoryAccess
    /// A state-changing opcode inside a static frame.
    case staticModeViolation
    /// A precompile rejected its input.
    case precompileFailure
    /// Created code starts with 0xEF (EIP-3541) or exceeds 24,576 bytes (EIP-170).
    case contractValidationFailure
    /// A value or size out of range (EIP-3860 init-code size, nonce overflow, …).
    case argumentOutOfRange
    /// The sender cannot pay the value; the frame never starts (gas is returned).
    case insufficientBalance
    /// Depth limit 1024 exceeded; the frame never starts (gas is returned).
    case callDepthExceeded
    /// CREATE/CREATE2 onto an address with code or a nonzero nonce (EIP-684).
    case createCollision

    /// Whether the frame's state changes are kept.
    @inlinable public var isSuccess: Bool { self == .success }
}

/// The result of running a frame.
public struct CallResult: Sendable {
    /// How the frame ended.
    public var status: StatusCode
    /// Gas left over, returned to the caller (0 on every failure except revert and the two
    /// "never started" cases).
    public var gasLeft: Int64
    /// The frame's net refund counter (EIP-3529); counted only if the frame succeeded.
    public var gasRefund: Int64
    /// Return data (RETURN) or revert data (REVERT); empty otherwise.
    public var output: [UInt8]
    /// The new contract's address, for a successful CREATE/CREATE2.
    public var createAddress: Address?

    /// Creates a result.
    public init(status: StatusCode, gasLeft: Int64, gasRefund: Int64 = 0, output: [UInt8] = [],
                createAddress: Address? = nil) {
        self.status = status; self.gasLeft = gasLeft; self.gasRefund = gasRefund
        self.output = output; self.createAddress = createAddress
    }
}

/// Block and transaction values the interpreter reads (ORIGIN, GASPRICE, COINBASE, NUMBER, …).
public struct TransactionContext: Sendable {
    /// The effective gas price (GASPRICE).
    public var gasPrice: UInt256
    /// The transaction's sender (ORIGIN).
    public var origin: Address
    /// The block's beneficiary (COINBASE).
    public var coinbase: Address
    /// The block number (NUMBER).
    public var number: UInt64
    /// The block timestamp (TIMESTAMP).
    public var timestamp: UInt64
    /// The block gas limit (GASLIMIT).
    public var gasLimit: UInt64
    /// PREVRANDAO (EIP-4399), the post-merge DIFFICULTY.
    public var prevRandao: Hash32
    /// The chain id (CHAINID, EIP-1344).
    public var chainId: UInt256
    /// The block base fee (BASEFEE, EIP-3198).
    public var baseFee: UInt256
    /// The blob base fee (BLOBBASEFEE, EIP-7516).
    public var blobBaseFee: UInt256
    /// The transaction's blob versioned hashes (BLOBHASH, EIP-4844); empty without blobs.
    public var blobHashes: [Hash32]

    /// Creates a context.
    public init(gasPrice: UInt256, origin: Address, coinbase: Address, number: UInt64, timestamp: UInt64,
                gasLimit: UInt64, prevRandao: Hash32, chainId: UInt256, baseFee: UInt256,
                blobBaseFee: UInt256 = .zero, blobHashes: [Hash32] = []) {
        self.gasPrice = gasPrice; self.origin = origin; self.coinbase = coinbase; self.number = number
        self.timestamp = timestamp; self.gasLimit = gasLimit; self.prevRandao = prevRandao
        self.chainId = chainId; self.baseFee = baseFee; self.blobBaseFee = blobBaseFee
        self.blobHashes = blobHashes
    }
}

/// Whether an account or storage slot had been touched in this transaction (EIP-2929).
public enum AccessStatus: Sendable {
    /// First access in this transaction: the cold surcharge applies.
    case cold
    /// Already accessed (or pre-warmed by the access list, sender, recipient, precompiles, coinbase).
    case warm
}

/// What an SSTORE did, from which the interpreter prices it and adjusts refunds (EIP-2200 as
/// amended by EIP-2929 and EIP-3529). Named after EVMC's `evmc_storage_status`; "original" is the
/// value at the start of the transaction, "current" the value before this SSTORE.
public enum StorageStatus: Sendable {
    /// current == new, or original ≠ current and the new value is none of the special cases.
    case assigned
    /// 0 → 0 → Z: a slot created.
    case added
    /// X → X → 0: a slot deleted.
    case deleted
    /// X → X → Z: a slot modified.
    case modified
    /// X → 0 → Z: a deleted slot filled again.
    case deletedAdded
    /// X → Y → 0: a modified slot deleted.
    case modifiedDeleted
    /// X → 0 → X: a deleted slot restored to its original value.
    case deletedRestored
    /// 0 → Y → 0: a created slot deleted again.
    case addedDeleted
    /// X → Y → X: a modified slot restored to its original value.
    case modifiedRestored
}

/// What the interpreter needs from the world. See the file comment.
public protocol Host: AnyObject {
    /// Whether the account exists in the EIP-161 sense (not empty: nonce, balance or code nonzero).
    func accountExists(_ address: Address) -> Bool
    /// SLOAD: the current value of a storage slot.
    func storage(at address: Address, key: UInt256) -> UInt256
    /// SSTORE: writes a slot and says what the write did, for gas and refunds.
    func setStorage(at address: Address, key: UInt256, value: UInt256) -> StorageStatus
    /// BALANCE / SELFBALANCE.
    func balance(of address: Address) -> UInt256
    /// EXTCODESIZE.
    func codeSize(of address: Address) -> Int
    /// EXTCODEHASH: zero for a non-existent or empty account (EIP-1052, EIP-161).
    func codeHash(of address: Address) -> Hash32
    /// The account's code (EXTCODECOPY, and the code a frame runs).
    func code(of address: Address) -> [UInt8]
    /// SELFDESTRUCT under EIP-6780: moves the balance to the beneficiary; deletes the account only
    /// if it was created in this transaction.
    /// - Returns: whether the account had not already been marked for destruction.
    func selfDestruct(_ address: Address, beneficiary: Address) -> Bool
    /// Runs a nested frame (CALL family, CREATE family), with snapshot/revert, value transfer,
    /// precompiles and address derivation handled by the host.
    func call(_ message: Message) -> CallResult
    /// Block and transaction values.
    var transactionContext: TransactionContext { get }
    /// BLOCKHASH for one of the 256 most recent blocks; zero otherwise.
    func blockHash(number: UInt64) -> Hash32
    /// LOG0–LOG4.
    func emitLog(address: Address, topics: [Hash32], data: [UInt8])
    /// Marks an account accessed and says whether it was cold (EIP-2929).
    func accessAccount(_ address: Address) -> AccessStatus
    /// Marks a storage slot accessed and says whether it was cold (EIP-2929).
    func accessStorage(at address: Address, key: UInt256) -> AccessStatus
    /// TLOAD (EIP-1153).
    func transientStorage(at address: Address, key: UInt256) -> UInt256
    /// TSTORE (EIP-1153).
    func setTransientStorage(at address: Address, key: UInt256, value: UInt256)
}
