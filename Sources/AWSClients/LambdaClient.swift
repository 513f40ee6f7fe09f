import RequestContext
import FoundationEssentials
import LogSink
import HTTPClient
import SigV4
import TextEncoding

/// Invoke, asynchronously (`X-Amz-Invocation-Type: Event`): Lambda queues the event, answers 202
/// and runs the function later, retrying a failed run itself. Not thread-safe (one HTTP
/// connection): use one client per thread.
public final class LambdaClient {
    private let endpoint: String
    private let sender: SignedRequestSender

    public init(configuration: AWSConfiguration, http: HTTPClient, log: LogSink = .standardError) {
        endpoint = configuration.endpoint(.lambda)
        sender = SignedRequestSender(service: .lambda, configuration: configuration, http: http, log: log)
    }

    /// Queues one run of `function` (a name or ARN) with `payload` as its event.
    public func invokeAsynchronously(function: String, payload: [UInt8], context: RequestContext = .unbounded) throws {
        let url = "\(endpoint)/2015-03-31/functions/\(PercentEncoding.encode(function))/invocations"
        let response = try sender.send(operation: "Invoke", resource: "function \(function)", method: "POST", url: url,
                                       headers: [("X-Amz-Invocation-Type", "Event"), ("Content-Type", "application/json")],
                                       body: payload, context: context)
        guard response.status == 202 else {
            throw sender.error("Invoke", "function \(function)", "UnexpectedStatus",
                               "an Event invocation is answered 202, not \(response.status)", nil, response.status)
        }
    }
}
