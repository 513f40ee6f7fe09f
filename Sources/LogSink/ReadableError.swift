import FoundationEssentials

extension Error {
    /// What a person reads about this error: its errorDescription (every error of the project is a
    /// LocalizedError that names the file or object and the reason), else its own description.
    /// Foundation's localizedDescription says the same for such errors, but it would link the whole
    /// of Foundation, and ICU with it.
    public var readableDescription: String {
        (self as? LocalizedError)?.errorDescription ?? String(describing: self)
    }
}
