import RequestContext

/// `DIR/<video stem>.csv`, written atomically.
public struct CSVDirectory: CSVOutput {
    public let path: String
    public init(path: String) { self.path = path }
    public func store(_ csv: [UInt8], for input: VideoInput, context: RequestContext) throws {
        try AtomicFile.write(csv, to: "\(path)/\(input.stem).csv")
    }
}
