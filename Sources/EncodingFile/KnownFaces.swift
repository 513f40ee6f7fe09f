/// The known faces of the `encoding` file: names[i] is the person whose face encoding is encodings[i].
public struct KnownFaces: Equatable, Sendable {
    /// The length of every face encoding (dlib's ResNet descriptor).
    static let encodingDimension = 128

    public var names: [String]
    /// Each exactly 128 values when read from a file; float32 files are widened to Double.
    public var encodings: [[Double]]

    public init(names: [String], encodings: [[Double]]) {
        self.names = names
        self.encodings = encodings
    }
}
