import ArgumentParser
import ClassroomCore
import EncodingFile
import FoundationEssentials

struct Enroll: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build an encoding file from photos of students, or add one person to an encoding in place.",
        usage: """
        classroom-assistant enroll <photos-folder> [--out encoding] [--force]
        classroom-assistant enroll --add <name> <photo> ... [--replace] [--encoding file|s3://bucket/key] [--students file | --table name]
        """,
        discussion: """
        With a folder: it holds <name>/*.jpg|png (several photos per person allowed) or <name>.jpg|png. \
        Each photo that shows exactly one face adds one entry; a photo with no face or several is skipped \
        with a warning naming it. The output is a pickle in the course's format (protocol 3, a dict of \
        'name' and 'encoding', numpy float64 arrays) that Python loads and `process --encoding` reads.

        With --add NAME: one encoding per photo is added to the encoding given by --encoding (a file, \
        or the S3 object the function reads as ENCODING_URI), in place; the function recognises them \
        from its next video on. Every photo must show exactly one face, or nothing is written. A name \
        already enrolled is refused unless --replace, which replaces that person's encodings. On S3 \
        the write is conditional on the version read, and read again and retried when another writer \
        got in first. With --students or --table, a name with no student row is a warning, and two \
        students of that name are refused.
        """)

    @Argument(help: ArgumentHelp("Without --add: the folder of photos. With --add: the person's photos.", valueName: "photos"))
    var paths: [String] = []

    @Option(name: .customLong("out"), help: ArgumentHelp("Without --add: the encoding file to write.", valueName: "file"))
    var output: String = "encoding"

    @Flag(help: "Without --add: replace the output file if it exists.")
    var force = false

    @Option(name: .customLong("add"), help: ArgumentHelp("Add this person's encodings, one per photo, to --encoding in place.", valueName: "name"))
    var name: String?

    @Flag(help: "With --add: replace the person's encodings if they are enrolled already.")
    var replace = false

    @OptionGroup var encoding: EncodingOptionGroup
    @OptionGroup var students: StudentRowsOptionGroup
    @OptionGroup var models: ModelsOptionGroup

    func validate() throws {
        if name == nil {
            guard paths.count == 1 else { throw ValidationError("give one folder of photos, or --add NAME and the person's photos") }
            if replace { throw ValidationError("--replace goes with --add") }
        } else if paths.isEmpty {
            throw ValidationError("--add \(name ?? ""): give at least one photo of the person")
        }
    }

    func run() throws {
        if let name {
            try add(name)
        } else {
            try buildFile(from: paths[0])
        }
    }

    /// `--add`: the student data checked first, every photo described, then one edit of the encoding.
    private func add(_ name: String) throws {
        if let rows = try students.rows(), try rows.id(of: name) == nil {
            Log.warning("'\(name)' has no row in \(rows.source): a video of them will give empty major and year until one is loaded")
        }
        let enroller = try Enroller(models: models.loadModels())
        let photos = paths.map { EnrolmentPhoto(name: name, path: $0) }
        let encodings = try photos.map { try enroller.descriptor(of: $0) }
        let store = try encoding.store()
        var total = KnownFaces(names: [], encodings: [])
        try store.update { current in
            total = try (current ?? KnownFaces(names: [], encodings: [])).adding(name, encodings: encodings, replacing: replace,
                                                                                  source: store.location)
            return total
        }
        let count = encodings.count == 1 ? "1 encoding" : "\(encodings.count) encodings"
        Log.info("\(store.location): \(replace ? "set" : "added") \(count) of \(name); it now holds \(total.names.count) encodings of \(Set(total.names).count) people")
    }

    private func buildFile(from folder: String) throws {
        if !force && FileManager.default.fileExists(atPath: output) {
            throw ValidationError("\(output) already exists; use --force to replace it")
        }
        let found = try Enroller.photos(in: folder)
        guard !found.isEmpty else { throw ValidationError("\(folder): no .jpg or .png photos found") }
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
        guard !known.names.isEmpty else { throw ValidationError("no usable photo in \(folder): nothing written") }
        try EncodingFile.write(known, to: output, replaceExisting: force)
        Log.info("\(output): \(known.names.count) encodings of \(Set(known.names).count) people from \(found.count) photos")
    }
}
