import LogSink

/// What every step of one request shares (a Lambda invocation, or a command's run): when it must
/// be done by, where its lines for people go, its id, and where its video's time goes. It is passed
/// down with each call, so that every AWS call, decoder and sampling loop stops by the same deadline.
public struct RequestContext: Sendable {
    public var deadline: Deadline
    public var log: LogSink
    /// The Lambda request id; empty for a command's run.
    public var requestID: String
    public let timings: StageTimings

    public init(deadline: Deadline = .never, log: LogSink = .none, requestID: String = "") {
        (self.deadline, self.log, self.requestID, timings) = (deadline, log, requestID, StageTimings())
    }

    /// No deadline, and no lines: the command line's calls.
    public static var unbounded: RequestContext { RequestContext() }

    /// The same request, for one of its videos: each of its lines rewritten first (tagged with the
    /// video), its time counted from nothing.
    public func forVideo(logging transform: @escaping (String) -> String) -> RequestContext {
        RequestContext(deadline: deadline, log: log.map(transform), requestID: requestID)
    }
}
