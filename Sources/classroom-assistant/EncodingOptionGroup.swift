import AWSClients
import ArgumentParser
import ClassroomCore
import ClassroomFunction
import FoundationEssentials
import HTTPClient
import LogSink
import Settings

/// The encoding that `enroll --add` and `forget` edit in place: a file, or an S3 object.
struct EncodingOptionGroup: ParsableArguments {
    @Option(name: .customLong("encoding"), help: ArgumentHelp(
        "The encoding to edit: a file, or an S3 object s3://BUCKET/KEY (AWS from the environment; written only if unchanged since read). Env: \(Setting.encodingURI.variable), then \(Setting.encodingFile.variable).",
        valueName: "file|s3://bucket/key"))
    var encoding: String = Setting.encodingURI.givenValue() ?? Setting.encodingFile.value()

    func validate() throws {
        if S3Location.isURI(encoding) {
            do { _ = try S3Location(objectURI: encoding) } catch { throw ValidationError("--encoding: \(error.readableDescription)") }
        }
    }

    func store() throws -> EncodingStore {
        guard S3Location.isURI(encoding) else { return EncodingFileStore(path: encoding) }
        let s3 = S3Client(configuration: try AWSConfiguration.fromEnvironment(), http: try HTTPClient(), log: LogSink(Log.warning))
        return S3EncodingStore(object: try S3Location(objectURI: encoding), s3: s3, log: LogSink(Log.warning))
    }
}
