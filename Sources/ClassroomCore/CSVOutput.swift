import RequestContext

/// Where the CSV goes.
public protocol CSVOutput {
    func store(_ csv: [UInt8], for input: VideoInput, context: RequestContext) throws
}
