import ArgumentParser
import AWSClients
import ClassroomFunction
import LambdaRuntime

@main
struct ClassroomAssistant: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classroom-assistant",
        abstract: "Recognise the students in classroom videos and write their academic records as CSV.",
        discussion: """
        When AWS_LAMBDA_RUNTIME_API is set (in AWS Lambda, or under the Runtime Interface Emulator) the \
        binary is the function's custom runtime: it takes no arguments, reads its settings from \
        INPUT_BUCKET, OUTPUT_BUCKET, STUDENTS_TABLE, STUDENTS_INDEX, OUTPUT_KEY_SUFFIX, RECOGNITION_MODE, ROSTERS_URI, ATTENDANCE_TABLE, \
        ENCODING_URI or ENCODING_FILE, MODELS_DIR and the AWS_* variables, and serves S3 object-created events.
        """,
        subcommands: [ProcessVideos.self, Enroll.self, Forget.self, LoadStudents.self, SaveDetector.self, Share.self,
                      RegisterCommand.self, UploadCommand.self]
    )

    static func main() {
        guard LambdaLoop.environmentEndpoint != nil else {
            main(nil)
            return
        }
        LambdaLoop.serve {
            let function = try ClassroomFunction(configuration: .fromEnvironment(), aws: .fromEnvironment())
            return function.handle
        }
    }
}
