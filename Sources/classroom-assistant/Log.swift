import Glibc
import Synchronization

/// Lines for a person reading a terminal: progress on stdout, problems on stderr, and at most
/// one status line at the bottom of stderr (ProgressLine's) that other lines are written above.
enum Log {
    /// The status line now shown; its lock orders every write.
    private static let statusLine = Mutex("")

    static func info(_ line: String) { write(line, to: stdout) }
    static func warning(_ line: String) { write("warning: " + line, to: stderr) }
    static func error(_ line: String) { write("error: " + line, to: stderr) }
    /// A line for a program to read (diagnostics), on stderr.
    static func data(_ line: String) { write(line, to: stderr) }

    /// Runs `update` under the log's lock; the status line becomes what it returns ("" clears it,
    /// nil leaves it as it is).
    static func withStatusLine(_ update: () -> String?) {
        statusLine.withLock { shown in
            guard let line = update(), line != shown else { return }
            shown = line
            fputs("\r\u{1B}[K" + fitted(line), stderr)
            fflush(stderr)
        }
    }

    private static func write(_ line: String, to stream: UnsafeMutablePointer<FILE>) {
        statusLine.withLock { shown in
            if !shown.isEmpty { fputs("\r\u{1B}[K", stderr); fflush(stderr) }
            fputs(line + "\n", stream)
            fflush(stream)
            if !shown.isEmpty { fputs(fitted(shown), stderr); fflush(stderr) }
        }
    }

    /// The line cut to the terminal's width from the left: a wrapped line could not be redrawn in place.
    private static func fitted(_ line: String) -> String {
        var size = winsize()
        let columns = ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
        guard line.count >= columns else { return line }
        return "…" + line.suffix(columns - 2)
    }
}
