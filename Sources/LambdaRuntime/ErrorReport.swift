import FoundationEssentials
import LogSink

/// The JSON body Lambda expects for a function or initialisation error. The invoker receives it as is.
public struct ErrorReport: Encodable, Equatable {
    public let errorType: String
    public let errorMessage: String
    public let stackTrace: [String]

    public init(errorType: String, errorMessage: String, stackTrace: [String] = []) {
        self.errorType = errorType
        self.errorMessage = errorMessage
        self.stackTrace = stackTrace
    }

    /// The error's type name and its localized description.
    public init(_ error: Error) {
        self.init(errorType: String(describing: type(of: error)), errorMessage: error.readableDescription)
    }

    /// JSON with every string escaped by Foundation's encoder (quotes, backslashes, control characters).
    public func jsonBytes() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }

    public static let typeHeader = "Lambda-Runtime-Function-Error-Type"

    /// The value of `Lambda-Runtime-Function-Error-Type`: the type name with anything but
    /// printable ASCII replaced, since it goes into a header line.
    public var headerValue: String {
        String(String.UnicodeScalarView(errorType.unicodeScalars.map { (0x20..<0x7F).contains($0.value) ? $0 : "_" }))
    }
}
