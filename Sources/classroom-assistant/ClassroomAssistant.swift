import ArgumentParser

@main
struct ClassroomAssistant: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classroom-assistant",
        abstract: "Recognise the students in classroom videos and write their academic records as CSV.",
        subcommands: [ProcessVideos.self, Enroll.self, LoadStudents.self]
    )
}
