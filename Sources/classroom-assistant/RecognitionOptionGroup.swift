import ArgumentParser
import ClassroomCore
import EncodingFile
import FaceEngine
import FaceRecognition
import FoundationEssentials
import LogSink
import Settings

/// Where the dlib models are; shared by every subcommand that finds or describes faces. Flags win
/// over environment variables, which win over the defaults that work from the project root after
/// scripts/setup.
struct ModelsOptionGroup: ParsableArguments {
    @Option(name: .customLong("models"), help: ArgumentHelp(
        "Folder with \(ModelPaths.shapePredictorFile) and \(ModelPaths.descriptorNetworkFile) (scripts/fetch-models puts them in ./models), and \(ModelPaths.detectorFile) if save-detector wrote it. Env: \(Setting.modelsDirectory.variable).",
        valueName: "dir"))
    var modelsDirectory: String = Setting.modelsDirectory.value()

    func loadModels() throws -> FaceModels { try FaceModels(paths: ModelPaths(directory: modelsDirectory), log: LogSink(Log.warning)) }
}

/// Where the known faces and the models come from, and how strictly faces match; shared by every
/// subcommand that recognises faces.
struct RecognitionOptionGroup: ParsableArguments {
    @Option(name: .customLong("encoding"), help: ArgumentHelp(
        "The known faces: a pickle of {'name': [...], 'encoding': [...]}. Env: \(Setting.encodingFile.variable).", valueName: "file"))
    var encodingFile: String = Setting.encodingFile.value()

    @OptionGroup var models: ModelsOptionGroup

    @Option(help: "Largest face distance that still counts as a match (face_recognition's default). First-match mode trusts a match at once only well inside it (see process --help).")
    var tolerance: Double = Setting.tolerance.defaultNumber

    func validate() throws {
        guard RecognitionOptions.toleranceRange.contains(tolerance) else {
            throw ValidationError("--tolerance must be from \(RecognitionOptions.toleranceRange.lowerBound) to \(RecognitionOptions.toleranceRange.upperBound)")
        }
    }

    func loadKnownFaces() throws -> KnownFaces { try EncodingFile.read(contentsOf: encodingFile) }

    func loadModels() throws -> FaceModels { try models.loadModels() }
}
