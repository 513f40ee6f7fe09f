import FaceRecognition
import FoundationEssentials
import Media
import TextEncoding

/// A photo of one student, named by its folder (`PHOTOS/<name>/x.jpg`) or its file (`PHOTOS/<name>.png`).
public struct EnrolmentPhoto: Sendable, Equatable {
    public let name: String
    public let path: String

    public init(name: String, path: String) {
        self.name = name
        self.path = path
    }
}

public struct EnrolmentError: Error, LocalizedError, CustomStringConvertible, Sendable {
    public let description: String
    public var errorDescription: String? { description }
}

/// Turns photos into known-face encodings: one descriptor per photo that shows exactly one face.
public final class Enroller {
    static let imageExtensions: Set<String> = ["jpg", "jpeg", "png"]
    private let worker: any FaceFinder

    public init(models: FaceFinderSource) throws {
        worker = try models.makeFinder()
    }

    /// The photos under `directory`, sorted by name then path.
    public static func photos(in directory: String) throws -> [EnrolmentPhoto] {
        let files = FileManager.default
        guard let entries = try? files.contentsOfDirectory(atPath: directory) else {
            throw EnrolmentError(description: "\(directory): not a readable folder of photos")
        }
        var photos: [EnrolmentPhoto] = []
        for entry in entries.sorted() where !entry.hasPrefix(".") {
            let path = directory + "/" + entry
            var isFolder = false
            if files.fileExists(atPath: path, isDirectory: &isFolder) && isFolder {
                let inside = (try? files.contentsOfDirectory(atPath: path)) ?? []
                photos += inside.sorted().filter(isImage).map { EnrolmentPhoto(name: entry, path: path + "/" + $0) }
            } else if isImage(entry) {
                photos.append(EnrolmentPhoto(name: PathName.withoutExtension(entry), path: path))
            }
        }
        return photos
    }

    private static func isImage(_ file: String) -> Bool {
        imageExtensions.contains(PathName.pathExtension(file).lowercased())
    }

    /// The descriptor of the one face in the photo; an error saying why when there is none or several.
    public func descriptor(of photo: EnrolmentPhoto) throws -> [Double] {
        let decoder = try VideoDecoder(path: photo.path)
        guard try decoder.seek(toFrameAt: 0) != nil else {
            throw EnrolmentError(description: "\(photo.path): no picture could be decoded")
        }
        let image = try decoder.currentFrame(width: decoder.info.width, height: decoder.info.height)
        var faces = try worker.detect(in: image)
        if faces.isEmpty { faces = try worker.detect(in: image, upsample: true) }
        guard faces.count == 1 else {
            throw EnrolmentError(description: "\(photo.path): \(faces.isEmpty ? "no face" : "\(faces.count) faces") found; a photo must show exactly one")
        }
        return try worker.describe(faces, in: image)[0]
    }
}
