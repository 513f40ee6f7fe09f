import TextEncoding

/// The one rule for the name a video's outputs answer under: its name with the extension of the
/// last component dropped, folders kept (`2024/lecture 1.mp4` answers as `2024/lecture 1`; a name
/// that is all extension, such as `.mp4`, is kept whole).
public enum VideoStem {
    public static func of(_ name: String) -> String { PathName.withoutExtension(name) }
}
