import FoundationEssentials
import Glibc
import HTTPClient
import LogSink
import Settings

/// The custom runtime's main loop: initialise once, then take events one at a time, forever.
public final class LambdaLoop {
    public let client: RuntimeAPIClient
    private let log: LogSink

    /// `log` receives one line per problem (CloudWatch collects the process's stderr in Lambda).
    public init(client: RuntimeAPIClient, log: LogSink = .standardError) {
        self.client = client
        self.log = log
    }

    /// Builds the handler (load models, open HTTP handles: everything heavy, once). If that throws, the
    /// error is posted to /runtime/init/error and rethrown: the caller must then exit.
    public func initialize(_ makeHandler: () throws -> LambdaHandler) throws -> LambdaHandler {
        do {
            return try makeHandler()
        } catch {
            log("initialisation failed: \(error.readableDescription)")
            do {
                try client.reportInitError(error: ErrorReport(error))
            } catch let reportFailure {
                log("could not report the initialisation error: \(reportFailure.readableDescription)")
            }
            throw error
        }
    }

    /// Waits for one event, runs the handler and posts its result or its error.
    /// Throws only when the Runtime API itself fails in a way the runtime cannot go on from.
    public func processNext(with handler: LambdaHandler) throws {
        let invocation = try client.nextInvocation()
        let requestID = invocation.metadata.requestID
        invocation.metadata.exportTraceID()
        do {
            let body: [UInt8]
            do {
                body = try handler(invocation)
            } catch {
                // The handler logs its own failures (one line per object); Lambda records this report.
                try client.reportError(requestID: requestID, error: ErrorReport(error))
                return
            }
            try client.reportSuccess(requestID: requestID, body: body)
        } catch let refused as RuntimeAPIError where !refused.isFatal {
            // 400, 403, 413: Lambda refused this result (too large, already answered...); the next event is unaffected.
            log("invocation \(requestID): \(refused.readableDescription)")
        }
    }

    /// Processes events until the Runtime API fails fatally (a transport error or HTTP 500), then throws.
    public func run(with handler: LambdaHandler) throws -> Never {
        while true {
            try processNext(with: handler)
        }
    }

    /// The whole custom runtime: connects to `AWS_LAMBDA_RUNTIME_API`, initialises, serves events.
    /// Exits with status 1 when there is no Runtime API, when initialisation fails (after reporting it)
    /// or when the Runtime API fails.
    public static func serve(initialize makeHandler: () throws -> LambdaHandler) -> Never {
        guard let endpoint = Setting.runtimeAPI.givenValue() else {
            LogSink.standardError("\(Setting.runtimeAPI.variable) is not set: this is not running as a Lambda custom runtime")
            exit(1)
        }
        do {
            let loop = LambdaLoop(client: RuntimeAPIClient(endpoint: endpoint, http: try HTTPClient()))
            let handler = try loop.initialize(makeHandler)
            try loop.run(with: handler)
        } catch {
            LogSink.standardError("Lambda runtime stopping: \(error.readableDescription)")
            exit(1)
        }
    }
}
