import Foundation
import HTTPClient
import LambdaRuntime
import LogSink

/// Runs `LambdaLoop.run` on its own thread, as the runtime process would, and keeps what it saw.
final class RuntimeThread {
    private let lock = NSLock()
    private var seen: [Invocation] = []
    private var logged: [String] = []
    private var stopError: Error?
    private let finished = DispatchSemaphore(value: 0)

    /// Starts polling `runtimeAPI` with `handler`; every invocation is recorded before the handler runs.
    init(runtimeAPI: String, handler: @escaping LambdaHandler) throws {
        let client = RuntimeAPIClient(endpoint: runtimeAPI, http: try HTTPClient())
        let loop = LambdaLoop(client: client, log: LogSink { [lock, weak self] line in
            lock.lock(); self?.logged.append(line); lock.unlock()
        })
        let thread = Thread { [self] in
            do {
                try loop.run { invocation in
                    self.lock.lock(); self.seen.append(invocation); self.lock.unlock()
                    return try handler(invocation)
                }
            } catch {
                lock.lock(); stopError = error; lock.unlock()
            }
            finished.signal()
        }
        thread.start()
    }

    var invocations: [Invocation] { lock.lock(); defer { lock.unlock() }; return seen }
    var logLines: [String] { lock.lock(); defer { lock.unlock() }; return logged }

    /// The error that ended the loop, once it ended (nil if it is still running after `timeout`).
    func waitForStop(timeout: TimeInterval = 10) -> Error? {
        guard finished.wait(timeout: .now() + timeout) == .success else { return nil }
        lock.lock(); defer { lock.unlock() }
        return stopError
    }
}
