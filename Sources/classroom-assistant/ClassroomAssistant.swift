import ArgumentParser
import AWSClients
import ClassroomFunction
import LambdaRuntime
import Settings

@main
struct ClassroomAssistant: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classroom-assistant",
        abstract: "Recognise the students in classroom videos and write their academic records as CSV.",
        discussion: """
        When AWS_LAMBDA_RUNTIME_API is set (in AWS Lambda, or under the Runtime Interface Emulator) the \
        binary is the function's custom runtime: it takes no arguments, reads its settings from the \
        environment and serves S3 object-created events. The environment variables the binary reads:

        """ + Setting.help,
        subcommands: [ProcessVideos.self, Enroll.self, Forget.self, LoadStudents.self, SaveDetector.self, Share.self,
                      RegisterCommand.self, UploadCommand.self]
    )

    static func main() {
        guard Setting.runtimeAPI.givenValue() != nil else {
            main(nil)
            return
        }
        LambdaLoop.serve {
            let function = try ClassroomFunction(configuration: .fromEnvironment(), aws: .fromEnvironment())
            return function.handle
        }
    }
}
