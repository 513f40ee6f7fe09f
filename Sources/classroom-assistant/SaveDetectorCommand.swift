import ArgumentParser
import AtomicFile
import ClassroomCore
import FaceEngine
import FaceRecognition

struct SaveDetector: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "save-detector",
        abstract: "Save dlib's built-in face detector beside the models, so that every start loads it fast.",
        discussion: """
        dlib keeps its HOG face detector compressed inside the library; unpacking it costs a good part \
        of every start (every Lambda cold start): docs/container.md has the figures. This writes it once, in dlib's plain \
        serialisation, to \(ModelPaths.detectorFile) in the models folder, where it is used when \
        present. The container image is built with one. A file that cannot be read is reported and \
        the built-in detector is used instead.
        """)

    @OptionGroup var models: ModelsOptionGroup

    func run() throws {
        let path = ModelPaths(directory: models.modelsDirectory).detector
        try AtomicFile.write(FaceModels.serializedDetector(), to: path)
        Log.info("saved dlib's face detector to \(path)")
    }
}
