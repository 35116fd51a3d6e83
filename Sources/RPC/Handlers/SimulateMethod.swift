import Chain
import JSONRPC

extension EthHandler {
    /// Adds eth_simulateV1 (execution-apis `src/eth/execute.yaml`): blocks of calls with block and
    /// state overrides, run on top of a block (default latest) without changing the chain. A refused
    /// simulation is an error with the spec's code (`SimulateJSON.code(of:)`); a call that reverts or
    /// halts is a result with `status` 0x0 and its `error`.
    /// - Parameter methods: the table to add to.
    func registerSimulateMethod(on methods: inout RPCMethods) {
        let node = self.node
        methods.register("eth_simulateV1") { parameters in
            try parameters.expectAtMost(2)
            let request = try parameters.required(0, SimulateArgument.decode)
            let tag = try node.resolve(parameters.blockSelection(1))
            let blocks: [SimulatedBlock]
            do throws(SimulationError) { blocks = try node.simulate(request, at: tag) } catch { throw SimulateJSON.error(error) }
            return SimulateJSON.result(blocks, fullTransactions: request.returnFullTransactions)
        }
    }
}
