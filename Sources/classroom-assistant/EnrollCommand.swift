import ArgumentParser
import ClassroomCore
import EncodingFile
import FoundationEssentials

struct Enroll: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build an encoding file from photos of students.",
        discussion: """
        PHOTOS holds <name>/*.jpg|png (several photos per person allowed) or <name>.jpg|png. Each photo \
        that shows exactly one face adds one entry; a photo with no face or several is skipped with a \
        warning naming it. The output is a pickle in the course's format (protocol 3, a dict of 'name' \
        and 'encoding', numpy float64 arrays) that Python loads and `process --encoding` reads.
        """)

    @Argument(help: ArgumentHelp("Folder of photos.", valueName: "photos"))
    var photos: String

    @Option(name: .customLong("out"), help: ArgumentHelp("The encoding file to write.", valueName: "file"))
    var output: String = "encoding"

    @Flag(help: "Replace the output file if it exists.")
    var force = false

    @OptionGroup var models: ModelsOptionGroup

    func run() throws {
        if !force && FileManager.default.fileExists(atPath: output) {
            throw ValidationError("\(output) already exists; use --force to replace it")
        }
        let found = try Enroller.photos(in: photos)
        guard !found.isEmpty else { throw ValidationError("\(photos): no .jpg or .png photos found") }
        let enroller = try Enroller(models: models.loadModels())
        var known = KnownFaces(names: [], encodings: [])
        for photo in found {
            do {
                known.encodings.append(try enroller.descriptor(of: photo))
                known.names.append(photo.name)
            } catch {
                Log.warning("skipped: \(error)")
            }
        }
        guard !known.names.isEmpty else { throw ValidationError("no usable photo in \(photos): nothing written") }
        try EncodingFile.write(known, to: output, replaceExisting: force)
        Log.info("\(output): \(known.names.count) encodings of \(Set(known.names).count) people from \(found.count) photos")
    }
}
