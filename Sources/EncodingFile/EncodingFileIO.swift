#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads with POSIX calls, so errors carry the system's reason, and no more than
/// `EncodingFileLimits.fileBytes`: the size is checked before reading and again as the bytes arrive
/// (a file can grow, and a device or a pipe has no size).
enum EncodingFileIO {
    static func readAll(_ path: String) throws(EncodingFileError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(path, "cannot be opened") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw failure(path, "cannot be examined") }
        let size = Int(status.st_size)
        try EncodingFileLimits.checkFileSize(size, of: path)
        var contents: [UInt8] = []
        contents.reserveCapacity(size)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return contents }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(path, "cannot be read")
            }
            contents.append(contentsOf: chunk[0..<count])
            try EncodingFileLimits.checkFileSize(contents.count, of: path)
        }
    }

    /// An I/O error with the current errno's text.
    private static func failure(_ path: String, _ what: String) -> EncodingFileError {
        EncodingFileError(source: path, offset: nil, opcode: nil, reason: "\(what): \(String(cString: strerror(errno)))")
    }
}
