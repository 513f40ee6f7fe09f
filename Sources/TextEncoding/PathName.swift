/// The few path manipulations the program needs, on "/"-separated strings (NSString's path methods
/// without Foundation). A path's last component is what follows its last "/".
public enum PathName {
    public static func lastComponent(_ path: String) -> String {
        String(path.split(separator: "/", omittingEmptySubsequences: false).last ?? Substring(path))
    }

    /// Everything before the last "/" ("" for a bare name, "/" for a file at the root).
    public static func directory(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The extension of the last component dropped (`2024/lecture 1.mp4` is `2024/lecture 1`); a
    /// component that is all extension, such as `.mp4`, is kept whole.
    public static func withoutExtension(_ path: String) -> String {
        guard let dot = extensionDot(path) else { return path }
        return String(path[..<dot])
    }

    /// The last component's extension without its dot, or "".
    public static func pathExtension(_ path: String) -> String {
        guard let dot = extensionDot(path) else { return "" }
        return String(path[path.index(after: dot)...])
    }

    private static func extensionDot(_ path: String) -> String.Index? {
        let last = path.split(separator: "/", omittingEmptySubsequences: false).last ?? Substring(path)
        guard let dot = last.lastIndex(of: "."), dot != last.startIndex else { return nil }
        return dot
    }
}

extension StringProtocol {
    /// Without the spaces and tabs at either end (HTTP header fields, environment values).
    public func trimmingSpacesAndTabs() -> String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !blank($0) }), let last = lastIndex(where: { !blank($0) }) else { return "" }
        return String(self[first...last])
    }
}
