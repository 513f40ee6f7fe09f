import Glibc
import RequestContext
import TextEncoding

/// An upload's progress as a bar on a terminal's stderr, redrawn in place: bytes sent of the
/// total, the rate and the time left. Exists only when stderr is a terminal.
final class TransferBar: @unchecked Sendable {
    private let name: String
    private let total: Int64
    private let clock = Stopwatch()
    private var lastDraw = 0.0

    private static let redrawInterval = 0.1
    private static let width = 24

    static func onTerminal(name: String, total: Int64) -> TransferBar? {
        isatty(STDERR_FILENO) != 0 ? TransferBar(name: name, total: total) : nil
    }

    private init(name: String, total: Int64) {
        self.name = name
        self.total = max(total, 1)
    }

    func update(_ sent: Int64) {
        Log.withStatusLine {
            let now = clock.seconds
            guard sent >= total || now - lastDraw >= Self.redrawInterval else { return nil }
            lastDraw = now
            return line(sent, elapsed: now)
        }
    }

    func finish() { Log.withStatusLine { "" } }

    func line(_ sent: Int64, elapsed: Double) -> String {
        let fraction = min(Double(sent) / Double(total), 1)
        let filled = Int((fraction * Double(Self.width)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: Self.width - filled)
        let rate = elapsed > 0 ? Double(sent) / elapsed : 0
        let left = rate > 0 ? Printf.string(", %.0f s left", Double(total - sent) / rate) : ""
        return "\(name) [\(bar)] " + Printf.string("%.1f of %.1f MiB, %.1f MiB/s", Double(sent) / 1_048_576, Double(total) / 1_048_576, rate / 1_048_576) + left
    }
}
