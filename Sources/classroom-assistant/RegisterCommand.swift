import AtomicFile
import AWSClients
import ArgumentParser
import ClassroomCore
import ClassroomFunction
import FoundationEssentials
import HTTPClient
import Settings

struct RegisterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Render a course's term register: DIR/COURSE.csv and DIR/COURSE.html.",
        discussion: """
        One row per student, one column per session (a video of the course, by upload time): P present, \
        A absent, blank when the student was not on that session's roster; then the sessions attended and \
        the percentage. The page marks every student under \(Int(Register.lowAttendancePercent))%. The same \
        files the function keeps as registers/COURSE.csv and .html in the output bucket.

        By default the sessions are read from the DynamoDB attendance table (a strongly consistent Query; \
        needs dynamodb:Query on it; AWS is configured from the environment as for load-students). With \
        --from DIR, from the CSVs `process --mode all` wrote into DIR instead, each a session (its file \
        time as its time), the students those of --roster, or everyone seen.
        """)

    @Argument(help: ArgumentHelp("The course: letters, digits, '.', '_' and '-'.", valueName: "course"))
    var course: String

    @Option(name: .customLong("out"), help: ArgumentHelp("Folder for the two files (created if missing).", valueName: "dir"))
    var outputDirectory: String = "."

    @Option(help: ArgumentHelp("The attendance table. Env: \(Setting.attendanceTable.variable).", valueName: "name"))
    var table: String = Setting.attendanceTable.givenValue() ?? "attendance"

    @Option(name: .customLong("from"), help: ArgumentHelp("Read the sessions from this folder of attendance CSVs, not the table.", valueName: "dir"))
    var folder: String?

    @Option(help: ArgumentHelp("With --from: the course's roster (header 'name', one student per line).", valueName: "file"))
    var roster: String?

    func run() throws {
        let course = try Course(course)
        let entries: [RegisterEntry]
        if let folder {
            entries = try ProcessedVideosFolder.registerEntries(in: folder, roster: try roster.map { try Roster(contentsOf: $0) })
        } else {
            let dynamoDB = DynamoDBClient(configuration: try AWSConfiguration.fromEnvironment(), http: try HTTPClient())
            entries = try AttendanceTable(dynamoDB: dynamoDB, table: table).entries(of: course)
        }
        let register = try Register(course: course, entries: entries)
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        let base = "\(outputDirectory)/\(course.name)"
        try AtomicFile.write(Array(register.csv.utf8), to: base + ".csv")
        try AtomicFile.write(Array(register.html.utf8), to: base + ".html")
        Log.info("\(course.name): \(register.students.count) students, \(register.sessions.count) sessions -> \(base).csv \(base).html")
    }
}
