import Primitives

/// Collects the accounts and storage slots an execution touches, as an EIP-2930 access list, by
/// go-ethereum's rules (`eth/tracers/logger/access_list_tracer.go`), for eth_createAccessList:
///
/// - SLOAD and SSTORE add the slot (and the executing account), whatever the account;
/// - BALANCE, EXTCODESIZE, EXTCODECOPY, EXTCODEHASH and SELFDESTRUCT add the account on top of the
///   stack, CALL, CALLCODE, DELEGATECALL and STATICCALL the account below it, unless excluded.
///
/// The excluded accounts are those warm anyway (EIP-2929): the sender, the recipient or created
/// contract, and the precompiles; listing them would only cost 2400 gas each. Their slots are
/// still listed, and then so is the account (with its slots), as geth does. An opcode is recorded
/// before it runs, so one that then fails (out of gas, say) is still listed.
///
/// The tracer starts from an access list (the previous run's), so the list only grows; eth_createAccessList
/// reruns the call with the grown list until a run adds nothing (`hasSameEntries(as:)`), because
/// warming changes gas and so can change the path taken.
public final class AccessListTracer: Tracer {
    private let excluded: Set<Address>
    /// Slots per account, in first-touch order of accounts.
    private var slots: [Address: Set<UInt256>] = [:]
    private var order: [Address] = []
    /// The account whose storage each open frame uses (the recipient; for DELEGATECALL the caller).
    private var contexts: [Address] = []

    /// Creates a tracer seeded with an access list.
    /// - Parameters:
    ///   - accessList: entries to start from; their slots are kept, and their accounts unless excluded.
    ///   - excluded: accounts not to list on their own (sender, recipient, precompiles).
    public init(accessList: [AccessListEntry] = [], excluding excluded: Set<Address>) {
        self.excluded = excluded
        for entry in accessList {
            if !excluded.contains(entry.address) { addAccount(entry.address) }
            for key in entry.storageKeys { addSlot(key, of: entry.address) }
        }
    }

    /// The list: accounts in address order, each with its slots in ascending order, so that the
    /// result does not depend on the order of execution.
    public var accessList: [AccessListEntry] {
        order.sorted().map { AccessListEntry(address: $0, storageKeys: slots[$0, default: []].sorted()) }
    }

    /// Whether two tracers hold the same accounts and slots (geth's `Equal`).
    /// - Parameter other: the other tracer.
    /// - Returns: true if the lists are equal as sets.
    public func hasSameEntries(as other: AccessListTracer) -> Bool { slots == other.slots }

    private func addAccount(_ address: Address) {
        if slots[address] == nil {
            slots[address] = []
            order.append(address)
        }
    }

    private func addSlot(_ key: UInt256, of address: Address) {
        addAccount(address)
        slots[address]!.insert(key)
    }

    /// Notes the account whose storage the frame uses.
    public func frameDidStart(message: Message, code: AnalyzedCode) {
        contexts.append(message.recipient)
    }

    /// Records the accounts and slots the opcode is about to touch.
    public func willExecute(_ step: TraceStep) {
        let stack = step.stack
        switch Opcode(rawValue: step.opcode) {
        case .sload?, .sstore?:
            guard let top = stack.last, let context = contexts.last else { return }
            addSlot(top, of: context)
        case .balance?, .extcodesize?, .extcodecopy?, .extcodehash?, .selfdestruct?:
            guard let top = stack.last else { return }
            addUnlessExcluded(Address(lowBytesOf: top.hash32))
        case .call?, .callcode?, .delegatecall?, .staticcall?:
            guard stack.count >= 5 else { return }
            addUnlessExcluded(Address(lowBytesOf: stack[stack.count - 2].hash32))
        default:
            return
        }
    }

    private func addUnlessExcluded(_ address: Address) {
        if !excluded.contains(address) { addAccount(address) }
    }

    /// Closes the frame.
    public func frameDidEnd(message: Message, result: CallResult) {
        _ = contexts.popLast()
    }
}
