/// The function's answer to an invocation: what became of each object of its event (or, for a
/// segment invocation, of its segment). A member that does not apply is left out.
struct FunctionAnswer: Codable, Equatable {
    /// A video processed (its CSV's object and the students in it), a long video fanned out (its
    /// job's folder and segment count), or a segment done (merged: with the CSV's key and students).
    struct Result: Codable, Equatable {
        var bucket: String?
        let key: String
        var outputBucket, outputKey: String?
        var students: [String]?
        var fannedOut: String?
        var segments, segment: Int?
    }

    /// An object (or a segment) left alone on purpose, and why.
    struct Skipped: Codable, Equatable {
        var bucket: String?
        let key: String
        var segment: Int?
        let reason: String
    }

    var results: [Result] = []
    var skipped: [Skipped] = []
}
