import Foundation

/// A TCP listener on 127.0.0.1 that counts the connections made to it (each one is closed at
/// once): the proof that code under test reached out, or did not.
public final class LoopbackListener: @unchecked Sendable {
    public let port: Int
    public var url: String { "http://127.0.0.1:\(port)" }
    private let socketFD: Int32
    private let lock = NSLock()
    private var accepted = 0

    public init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSetupError("socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard listening else {
            close(fd)
            throw TestSetupError("cannot listen on a loopback port: errno \(errno)")
        }
        socketFD = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in
            while case let connection = accept(socketFD, nil, nil), connection >= 0 {
                lock.withLock { accepted += 1 }
                close(connection)
            }
        }
    }

    /// Connections accepted so far.
    public var connections: Int { lock.withLock { accepted } }

    public func stop() {
        shutdown(socketFD, Int32(SHUT_RDWR))
        close(socketFD)
    }
}
