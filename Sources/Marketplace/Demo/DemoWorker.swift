import Primitives

/// The demo's enclave worker: H6's `EnclaveWorker` (the same worker `goldengrain enclave serve`
/// runs), in this process, for the demo's enclave, relaying from the demo's relayer account.
extension DemoConfiguration {
    /// Starts an `EnclaveWorker` for the demo's enclave.
    public static let enclaveWorker: DemoWorkerStarter = { parameters in
        var configuration = EnclaveWorker.Configuration(
            rpcURL: parameters.rpcURL, marketplace: parameters.marketplace, enclaveKey: parameters.enclaveKey,
            relayerKey: parameters.relayerKey, datadir: parameters.datadir, quote: parameters.quote,
            collateral: parameters.collateral, log: parameters.log)
        configuration.pollInterval = .milliseconds(100)
        let worker = try EnclaveWorker(configuration: configuration)
        return RunningDemoWorker(worker: worker)
    }
}

/// An `EnclaveWorker` running in a task of its own.
final class RunningDemoWorker: DemoEnclaveWorker {
    /// How the worker's run ended.
    actor Ending {
        var reason: String?
        func set(_ text: String) { reason = text }
    }

    let ending: Ending
    let task: Task<Void, Never>

    init(worker: EnclaveWorker) {
        let ending = Ending()
        self.ending = ending
        task = Task {
            do {
                try await worker.run()
                await ending.set("the enclave worker stopped")
            } catch is CancellationError {
                await ending.set("the enclave worker was stopped")
            } catch {
                await ending.set("the enclave worker failed: \(error)")
            }
        }
    }

    func failure() async -> String? { await ending.reason }

    func stop() async {
        task.cancel()
        await task.value
    }
}
