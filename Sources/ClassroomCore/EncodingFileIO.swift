#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads with POSIX calls, so errors carry the system's reason.
enum EncodingFileIO {
    static func readAll(_ path: String) throws(EncodingFileError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(path, "cannot be opened") }
        defer { close(descriptor) }
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return contents }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(path, "cannot be read")
            }
            contents.append(contentsOf: chunk[0..<count])
        }
    }

    /// An I/O error with the current errno's text.
    private static func failure(_ path: String, _ what: String) -> EncodingFileError {
        EncodingFileError(source: path, offset: nil, opcode: nil, reason: "\(what): \(String(cString: strerror(errno)))")
    }
}
