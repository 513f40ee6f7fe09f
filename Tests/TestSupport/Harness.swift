import Foundation

/// The project's one test harness, scripts/harness (Python, shared with scripts/workload, bench and
/// build-image), run as the command `scripts/python -m harness`. The typed clients (HarnessServers,
/// CourseGrading, S3 events) go through here.
public enum Harness {
    /// The environment that lets `-m harness` find the package.
    public static let environment = ["PYTHONPATH": Project.root.appendingPathComponent("scripts").path]

    /// Runs one harness command to completion and returns its standard output.
    public static func run(_ arguments: [String]) throws -> String {
        let result = try Command.run(Project.python, ["-m", "harness"] + arguments, environment: environment)
        guard result.status == 0 else {
            throw TestSetupError("scripts/python -m harness \(arguments.first ?? "") failed (scripts/setup makes the venv): \(result.stderr)")
        }
        return result.stdout
    }

    /// Runs one harness command and decodes the JSON it prints.
    public static func decode<Value: Decodable>(_ type: Value.Type, _ arguments: [String]) throws -> Value {
        let output = try run(arguments)
        do {
            return try JSONDecoder().decode(type, from: Data(output.utf8))
        } catch {
            throw TestSetupError("scripts/python -m harness \(arguments.first ?? "") printed what is not \(type): \(output.prefix(500))")
        }
    }

    /// `count` loopback ports nobody listens on now.
    public static func freePorts(_ count: Int) throws -> [Int] {
        try run(["ports", String(count)]).split(separator: " ").map { word in
            guard let port = Int(word.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw TestSetupError("scripts/python -m harness ports printed \(word)")
            }
            return port
        }
    }
}
