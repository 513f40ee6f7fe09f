import FaceRecognition
import FoundationEssentials
import Media
import TextEncoding

/// The attendance report as the files it is stored as, with paths relative to the folder or bucket
/// the CSV goes to: the crops `<stem>/faces/*.jpg` and the page `<stem>.html`, which names them
/// relative to itself. Writers store the faces first and the page last (then the CSV), so a page
/// never names a crop that is not there yet.
public struct AttendanceReportFiles {
    public struct File: Sendable {
        public let path: String
        public let bytes: [UInt8]
    }

    public let faces: [File]
    public let page: File
    public let facesFolder: String

    public init(_ report: AttendanceReport, stem: String) throws {
        let folder = stem + "/faces"
        facesFolder = folder
        // The page sits beside the <stem> folder, so its links start at the stem's last component.
        let relativeFolder = PercentEncoding.encode(PathName.lastComponent(stem)) + "/faces/"
        var crops: [File] = []
        func store(_ crop: FaceCrop?, as file: String) throws -> String? {
            guard let crop else { return nil }
            crops.append(File(path: "\(folder)/\(file)", bytes: try JPEGEncoder.encode(crop.image, name: "\(folder)/\(file)")))
            return relativeFolder + file
        }
        let presentFaces = try report.present.enumerated().map { i, student in
            try store(student.face, as: "present-\(i + 1)-\(Self.fileSafe(student.name)).jpg")
        }
        let unknownFaces = try report.unknown.enumerated().map { i, person in try store(person.face, as: "unknown-\(i + 1).jpg") }
        faces = crops
        page = File(path: stem + ".html",
                    bytes: Array(AttendanceReportPage.html(report, presentFaces: presentFaces, unknownFaces: unknownFaces).utf8))
    }

    /// A name as part of a file name: letters, digits, `-` and `_` kept, anything else `_`.
    static func fileSafe(_ name: String) -> String {
        let kept = name.unicodeScalars.prefix(40).map { scalar -> Character in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || scalar == "-" || scalar == "_" ? Character(scalar) : "_"
        }
        return kept.isEmpty ? "_" : String(kept)
    }
}
