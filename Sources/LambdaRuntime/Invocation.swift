/// One event handed to the function: its metadata and the raw payload (JSON for S3 notifications).
public struct Invocation {
    public let metadata: InvocationMetadata
    public let payload: [UInt8]

    public init(metadata: InvocationMetadata, payload: [UInt8]) {
        self.metadata = metadata
        self.payload = payload
    }
}

/// The function: an invocation in, the response body out; a thrown error is reported to Lambda.
public typealias LambdaHandler = (Invocation) throws -> [UInt8]
