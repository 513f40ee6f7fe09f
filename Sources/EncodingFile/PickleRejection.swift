/// A refusal found while interpreting values, before the unpickler adds the file, offset and opcode.
struct PickleRejection: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
