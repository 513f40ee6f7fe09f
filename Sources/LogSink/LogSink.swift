#if canImport(Glibc)
import Glibc
#endif

/// Where a library's lines for people go, one line per call: the one log type every part takes
/// (as a parameter named `log`). In Lambda the process's stderr is CloudWatch's log; the command
/// line writes its lines above its progress line; tests collect them.
public struct LogSink: @unchecked Sendable {
    private let write: (String) -> Void

    public init(_ write: @escaping (String) -> Void) { self.write = write }

    public func callAsFunction(_ line: String) { write(line) }

    /// A LogSink that rewrites each line before passing it on (to tag it, or to format it as JSON).
    public func map(_ transform: @escaping (String) -> String) -> LogSink {
        LogSink { self.write(transform($0)) }
    }

    /// One line each on standard error (unbuffered, so lines from threads are not interleaved mid-line).
    public static let standardError = LogSink { line in fputs(line + "\n", stderr) }

    /// Lines nobody reads.
    public static let none = LogSink { _ in }
}
