import Glibc

/// A response body handed over by curl without a copy (a large download): the bytes stay where
/// curl received them and are freed with this value.
public final class ResponseBytes: @unchecked Sendable {
    public let start: UnsafePointer<UInt8>?
    public let count: Int

    init(taking start: UnsafeMutablePointer<UInt8>?, count: Int) {
        self.start = start.map { UnsafePointer($0) }
        self.count = start == nil ? 0 : count
    }

    /// No bytes.
    public convenience init() { self.init(taking: nil, count: 0) }

    deinit { free(UnsafeMutableRawPointer(mutating: start)) }

    /// The bytes, valid while `body` runs.
    public func withBuffer<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try withExtendedLifetime(self) { try body(UnsafeBufferPointer(start: start, count: count)) }
    }
}
