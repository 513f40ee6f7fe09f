import Foundation
import XCTest

/// The growth of this process's peak resident memory from now on, from Linux's counters: writing 5 to
/// /proc/self/clear_refs resets the peak (VmHWM) to the current resident size (VmRSS). Memory earlier tests
/// freed is given back to the system first, or new values could reuse it unseen.
public struct PeakMemory {
    private let start: Int

    /// glibc's malloc_trim, which Swift's Glibc module leaves out (it is declared in malloc.h).
    private static let trimMalloc = dlsym(nil, "malloc_trim").map { unsafeBitCast($0, to: (@convention(c) (Int) -> Int32).self) }

    public init() throws {
        _ = Self.trimMalloc?(0)
        do {
            try "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
        } catch {
            throw XCTSkip("peak memory cannot be reset here (/proc/self/clear_refs): \(error)")
        }
        start = try Self.kilobytes("VmRSS")
    }

    public func growth() throws -> Int {
        try (Self.kilobytes("VmHWM") - start) * 1024
    }

    private static func kilobytes(_ field: String) throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = status.split(separator: "\n").first { $0.hasPrefix(field + ":") }
        guard let words = line?.split(whereSeparator: \.isWhitespace), words.count > 1, let value = Int(words[1]) else {
            throw XCTSkip("no \(field) in /proc/self/status")
        }
        return value
    }
}
