import Foundation

/// A TCP listener on 127.0.0.1 that counts the connections made to it: the proof that code under
/// test reached out, or did not. It either hangs up on each connection at once, or holds it open
/// and never answers (a server that hangs).
public final class LoopbackListener: @unchecked Sendable {
    public enum Behaviour { case hangUp, neverAnswer }

    public let port: Int
    public var url: String { "http://127.0.0.1:\(port)" }
    private let socketFD: Int32
    private let behaviour: Behaviour
    private let lock = NSLock()
    private var accepted: [Int32] = []
    private var stopped = false

    public init(_ behaviour: Behaviour = .hangUp) throws {
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
        self.behaviour = behaviour
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in acceptUntilStopped() }
    }

    deinit { stop() }

    /// Connections accepted so far.
    public var connections: Int { lock.withLock { accepted.count } }

    public func stop() {
        let open: [Int32]? = lock.withLock {
            if stopped { return nil }
            stopped = true
            return accepted
        }
        guard let open else { return }
        shutdown(socketFD, Int32(SHUT_RDWR))
        close(socketFD)
        if behaviour == .neverAnswer { open.forEach { close($0) } }
    }

    private func acceptUntilStopped() {
        while true {
            let connection = accept(socketFD, nil, nil)
            guard connection >= 0 else { return }
            let keep = lock.withLock { () -> Bool in
                accepted.append(connection)
                return !stopped && behaviour == .neverAnswer
            }
            if !keep { close(connection) }
        }
    }
}
