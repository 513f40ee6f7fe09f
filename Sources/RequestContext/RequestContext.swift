import LogSink

/// What every step of one request shares (a Lambda invocation, or a command's run): when it must
/// be done by and where its lines for people go. It is passed down with each call, so that every
/// AWS call, decoder and sampling loop stops by the same deadline.
public struct RequestContext: Sendable {
    public var deadline: Deadline
    public var log: LogSink

    public init(deadline: Deadline = .never, log: LogSink = .none) {
        (self.deadline, self.log) = (deadline, log)
    }

    /// No deadline, and no lines: the command line's calls.
    public static let unbounded = RequestContext()

    /// The same request, each of its lines rewritten first (tagged with the video they are about).
    public func logging(_ transform: @escaping (String) -> String) -> RequestContext {
        RequestContext(deadline: deadline, log: log.map(transform))
    }
}
