import Foundation

/// Lines for a person reading a terminal: progress on stdout, problems on stderr.
enum Log {
    private static let lock = NSLock()

    static func info(_ line: String) { write(line, to: stdout) }
    static func warning(_ line: String) { write("warning: " + line, to: stderr) }
    static func error(_ line: String) { write("error: " + line, to: stderr) }
    /// A line for a program to read (diagnostics), on stderr.
    static func data(_ line: String) { write(line, to: stderr) }

    private static func write(_ line: String, to stream: UnsafeMutablePointer<FILE>) {
        lock.withLock {
            fputs(line + "\n", stream)
            fflush(stream)
        }
    }
}
