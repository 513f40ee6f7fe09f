import Glibc
import HTTPClient
import LogSink
import RequestContext
import SigV4

/// Signs and sends one AWS call, retrying throttling and transient failures with backoff (each
/// attempt signed afresh), and turns every failure into an `AWSError`.
final class SignedRequestSender {
    private let service: Service
    let signer: SigV4Signer
    private let http: HTTPClient
    private let retryPolicy: RetryPolicy
    private let timeout: Double
    let log: LogSink

    init(service: Service, configuration: AWSConfiguration, http: HTTPClient, log: LogSink) {
        self.service = service
        signer = configuration.signer(service)
        self.http = http
        retryPolicy = configuration.retryPolicy
        timeout = configuration.requestTimeout
        self.log = log
    }

    /// Error bodies are always read up to this size, whatever the cap on a successful body.
    static let errorBodyAllowance = 1 << 20

    /// Every call stops by `context.deadline`: each attempt's timeout is bounded by the time left,
    /// and no retry starts (nor backoff waits) past it.
    /// - Parameter maxResponseBytes: the cap on a successful response's body (`ResponseTooLarge` beyond).
    /// - Parameter takesBodyInPlace: a successful body comes back as `bodyBytes`, not copied.
    /// - Parameter bodyDestination: a successful body is written there (see HTTPRequest.bodyDestination).
    /// - Parameter outcomes: statuses that are an answer, not a failure (a conditional request's 304 or
    ///   412): returned as they are, never retried.
    func send(operation: String, resource: String, method: String, url: String, headers: [(name: String, value: String)] = [],
              body: [UInt8] = [], maxResponseBytes: Int? = nil, takesBodyInPlace: Bool = false,
              bodyDestination: UnsafeMutableRawBufferPointer? = nil, outcomes: Set<Int> = [], context: RequestContext) throws -> HTTPResponse {
        let tooLarge = { (attempt: Int) in
            self.error(operation, resource, "ResponseTooLarge", "larger than the cap of \(maxResponseBytes ?? 0) bytes", nil, nil, attempt)
        }
        var attempt = 1
        while true {
            guard context.deadline.secondsRemaining > 0 else {
                throw error(operation, resource, AWSError.deadlineExceeded, "no time left before the deadline", nil, nil, attempt - 1)
            }
            let failure: AWSError
            let attemptTimeout = context.deadline.timeout(atMost: timeout)
            do {
                let signed = try signer.sign(method: method, url: url, headers: headers, body: body)
                var request = HTTPRequest(method: method, url: url, headers: signed, body: body, timeout: attemptTimeout,
                                          maxResponseBytes: maxResponseBytes.map { max($0, Self.errorBodyAllowance) })
                request.takesBodyInPlace = takesBodyInPlace
                request.bodyDestination = bodyDestination
                let response = try http.send(request)
                if (200..<300).contains(response.status) {
                    if let limit = maxResponseBytes, response.bodyCount > limit { throw tooLarge(attempt) }
                    return response
                }
                if outcomes.contains(response.status) { return response }
                let details = ErrorBody(response)
                failure = error(operation, resource, details.code, details.message, details.requestID, response.status, attempt)
            } catch let transport as HTTPTransportError {
                if transport.isResponseTooLarge { throw tooLarge(attempt) }
                // A timeout the deadline cut short is the deadline's.
                if transport.isTimeout && attemptTimeout < timeout {
                    throw error(operation, resource, AWSError.deadlineExceeded,
                                "no answer before the deadline (\(transport.message))", nil, nil, attempt)
                }
                failure = error(operation, resource, transport.isTransient ? AWSError.networkError : AWSError.transportFailure,
                                "\(transport.message) (curl error \(transport.code))", nil, nil, attempt)
            }
            guard failure.isRetryable, attempt < retryPolicy.maxAttempts else { throw failure }
            try pause(beforeRetry: attempt, because: failure, context: context)
            attempt += 1
        }
    }

    /// Waits the backoff delay before retry `retry`, saying why in the log; throws `failure`
    /// instead when the wait would run past the deadline.
    func pause(beforeRetry retry: Int, because failure: AWSError, context: RequestContext) throws {
        let delay = retryPolicy.delay(beforeRetry: retry)
        guard delay < context.deadline.secondsRemaining else {
            throw error(failure.operation, failure.resource, AWSError.deadlineExceeded,
                        "no time left before the deadline to retry (\(failure.code): \(failure.message))", nil, nil, retry)
        }
        log("\(failure.errorDescription ?? failure.code); retry \(retry) of \(retryPolicy.maxAttempts - 1) in \(Int(delay * 1000)) ms")
        usleep(useconds_t(delay * 1_000_000))
    }

    var maxAttempts: Int { retryPolicy.maxAttempts }

    func error(_ operation: String, _ resource: String, _ code: String, _ message: String, _ requestID: String? = nil,
               _ status: Int? = nil, _ attempts: Int = 1) -> AWSError {
        AWSError(service: service.displayName, operation: operation, resource: resource, code: code, message: message,
                 requestID: requestID, httpStatus: status, attempts: attempts)
    }
}
