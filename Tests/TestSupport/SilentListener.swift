import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP listener on a free loopback port that accepts every connection and never answers: a
/// server that hangs. It counts the connections it got, so a test can also prove none came.
public final class SilentListener: @unchecked Sendable {
    public let port: Int
    private let socketFD: Int32
    private let lock = NSLock()
    private var accepted: [Int32] = []
    private var stopped = false

    public init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSetupError("socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 && listen(fd, 16) == 0
            }
        }
        guard listening else {
            close(fd)
            throw TestSetupError("cannot listen on a loopback port: errno \(errno)")
        }
        socketFD = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in acceptForever() }
    }

    deinit { stop() }

    public var url: String { "http://127.0.0.1:\(port)" }

    /// Connections accepted so far.
    public var connections: Int { lock.withLock { accepted.count } }

    public func stop() {
        let open: [Int32] = lock.withLock {
            if stopped { return [] }
            stopped = true
            return accepted
        }
        shutdown(socketFD, Int32(SHUT_RDWR))
        close(socketFD)
        open.forEach { close($0) }
    }

    private func acceptForever() {
        while true {
            let connection = accept(socketFD, nil, nil)
            if connection < 0 { return }
            let keep = lock.withLock { () -> Bool in
                if stopped { return false }
                accepted.append(connection)
                return true
            }
            if !keep {
                close(connection)
                return
            }
        }
    }
}
