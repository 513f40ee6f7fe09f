import AWSClients
import ArgumentParser
import ClassroomCore
import FoundationEssentials
import HTTPClient
import Settings

struct LoadStudents: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load-students",
        abstract: "Write the students of a student_data.json file into the DynamoDB table.",
        discussion: """
        Each record {id, name, major, year} becomes an item with `id` as a number and the other \
        fields as strings (BatchWriteItem, 25 at a time; items DynamoDB leaves unprocessed are sent \
        again). AWS is configured from the environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, \
        AWS_SESSION_TOKEN, AWS_REGION, and AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_DYNAMODB for a local \
        endpoint. Two students of one name are refused, naming both ids: in the file, or one in the         file and one already in the table under another id (the name is how a face finds its student).         Needs dynamodb:Query on the table's name-index and dynamodb:BatchWriteItem on the table.
        """)

    @Argument(help: ArgumentHelp("The student records.", valueName: "student_data.json"))
    var studentData: String

    @Option(help: ArgumentHelp("The table to fill. Env: \(Setting.studentsTable.variable).", valueName: "name"))
    var table: String = Setting.studentsTable.givenValue() ?? "students"

    func run() throws {
        let students = try StudentTable(contentsOf: studentData).records
        let items: [DynamoDBClient.Item] = students.map {
            ["id": .n(String($0.id)), "name": .s($0.name), "major": .s($0.major), "year": .s($0.year)]
        }
        let dynamoDB = DynamoDBClient(configuration: try AWSConfiguration.fromEnvironment(), http: try HTTPClient())
        for student in students {
            let ids = try dynamoDB.queryByName(table: table, name: student.name).compactMap { Int($0["id"]?.numberValue ?? "") }
            if let other = ids.first(where: { $0 != student.id }) {
                throw StudentTableError(description: "\(studentData) and table \(table): " + StudentTable.sameName(student.name, ids: [other, student.id]))
            }
        }
        try dynamoDB.batchWrite(table: table, items: items)
        Log.info("\(table): wrote \(items.count) students from \(studentData)")
    }
}
