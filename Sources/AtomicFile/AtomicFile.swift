import FoundationEssentials
import Glibc
import TextEncoding

public struct FileWriteError: Error, LocalizedError, CustomStringConvertible, Sendable {
    public let description: String
    public init(description: String) { self.description = description }
    public var errorDescription: String? { description }
}

/// Writes a file so that readers see the old content or the whole new one, never a part:
/// a temporary file in the same directory, flushed, then renamed over the target.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String, replaceExisting: Bool = true) throws {
        if !replaceExisting && FileManager.default.fileExists(atPath: path) { throw alreadyExists(path) }
        let directory = PathName.directory(path)
        let temporary = (directory.isEmpty ? "." : directory) + "/.\(PathName.lastComponent(path)).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure(path, "cannot create \(temporary)") }
        var written = 0
        let ok = bytes.withUnsafeBytes { buffer -> Bool in
            while written < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + written, buffer.count - written)
                if n < 0 { if errno == EINTR { continue }; return false }
                written += n
            }
            return fsync(fd) == 0
        }
        let closed = close(fd) == 0
        guard ok && closed else {
            let reason = failure(path, "cannot write \(temporary)")
            unlink(temporary)
            throw reason
        }
        // Without replacing, link() puts the file in place only if nothing is there, atomically:
        // a writer that raced past the check above still cannot overwrite.
        let placed = replaceExisting ? rename(temporary, path) == 0 : link(temporary, path) == 0
        guard placed else {
            let reason = errno == EEXIST ? alreadyExists(path) : failure(path, "cannot move \(temporary) into place")
            unlink(temporary)
            throw reason
        }
        if !replaceExisting { unlink(temporary) }
    }

    private static func alreadyExists(_ path: String) -> FileWriteError {
        FileWriteError(description: "\(path): already exists; not replaced")
    }

    private static func failure(_ path: String, _ what: String) -> FileWriteError {
        FileWriteError(description: "\(path): \(what): \(String(cString: strerror(errno)))")
    }
}
