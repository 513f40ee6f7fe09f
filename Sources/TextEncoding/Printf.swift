#if canImport(Glibc)
import Glibc
#endif

/// The C library's printf formatting, for the numbers the program writes (CSV fields, durations):
/// the same digits String(format:) gave, without linking the whole of Foundation.
public enum Printf {
    public static func string(_ format: String, _ arguments: CVarArg...) -> String {
        var capacity = 64
        while true {
            var buffer = [CChar](repeating: 0, count: capacity)
            let needed = withVaList(arguments) { Int(vsnprintf(&buffer, capacity, format, $0)) }
            if needed < 0 { return "" }
            if needed < capacity { return String(decoding: buffer.prefix(needed).map { UInt8(bitPattern: $0) }, as: UTF8.self) }
            capacity = needed + 1
        }
    }
}
