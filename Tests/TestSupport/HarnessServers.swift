import Foundation

/// Servers the harness starts (`scripts/python -m harness serve`): moto provisioned by scripts/moto-env
/// and aws-lambda-rie emulators running the function. They stop when `stop()` closes the harness's
/// standard input, or when this test process ends and closes it.
public final class HarnessServers {
    public struct Moto: Decodable {
        public let endpoint: String
        public let pid: Int32
        public let log: String
        /// The `export` lines of scripts/moto-env: the keys, the region, the endpoint, the resource names.
        public let exports: [String: String]
        /// What a command run by the operator gets: the operator's keys, the region, the endpoint.
        public let operatorEnvironment: [String: String]
        /// What Lambda gives the function: the role's temporary keys, the region, the endpoint, the names.
        public let functionEnvironment: [String: String]

        enum CodingKeys: String, CodingKey {
            case endpoint, pid, log, exports, operatorEnvironment = "operator_environment", functionEnvironment = "function_environment"
        }
    }

    public struct Emulator: Decodable {
        /// `http://127.0.0.1:PORT`, where it takes invocations.
        public let url: String
        public let port: Int
        public let runtimePort: Int
        public let pid: Int32
        /// Its output and the function's.
        public let log: String
        public var invocationURL: String { url + "/2015-03-31/functions/function/invocations" }

        enum CodingKeys: String, CodingKey { case url, port, runtimePort = "runtime_port", pid, log }
    }

    private struct Started: Decodable {
        let moto: Moto?
        let emulators: [Emulator]
    }

    /// How long starting may take: only a hang takes that long (the harness bounds each of its steps too).
    private static let startTimeout: TimeInterval = 900
    /// How long stopping may take before the harness is killed.
    private static let stopTimeout: TimeInterval = 60

    public let runDirectory: String
    public private(set) var moto: Moto?
    public private(set) var emulators: [Emulator] = []
    private let process = Process()
    private let input = Pipe()
    private var stopped = false

    /// moto (`moto`; `loadStudents` fills its students table without `student`) and `emulators`
    /// emulators running the built binary, or `bootstrap`, as the function, with `settings` added to
    /// the function role's environment (the whole environment without moto); `courses` gives the
    /// function moto's rosters and attendance table. Logs go to `runDirectory`.
    public init(moto: Bool = false, tableWithoutIndex: String? = nil, loadStudents: Bool = false, leavingOut student: String? = nil,
                emulators: Int = 0, courses: Bool = false, bootstrap: String? = nil, settings: [String: String] = [:],
                runDirectory: String) throws {
        var arguments = ["serve", "--run-dir", runDirectory, "--emulators", String(emulators), "--binary", Project.binary]
        if moto { arguments.append("--moto") }
        if let tableWithoutIndex { arguments += ["--table-without-index", tableWithoutIndex] }
        if loadStudents { arguments.append("--load-students") }
        if courses { arguments.append("--courses") }
        if let student, !student.isEmpty { arguments += ["--leave-out", student] }
        if let bootstrap { arguments += ["--bootstrap", bootstrap] }
        arguments += settings.sorted { $0.key < $1.key }.flatMap { ["--setting", "\($0.key)=\($0.value)"] }
        self.runDirectory = runDirectory
        try FileManager.default.createDirectory(atPath: runDirectory, withIntermediateDirectories: true)
        let logPath = runDirectory + "/harness.log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: Project.python)
        process.arguments = ["-m", "harness"] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(Harness.environment) { $1 }
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: logPath)
        try process.run()
        guard let line = firstLine(of: output.fileHandleForReading, within: Self.startTimeout),
              let started = try? JSONDecoder().decode(Started.self, from: Data(line.utf8)) else {
            stop()
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            throw TestSetupError("scripts/python -m harness serve did not start its servers (scripts/setup installs moto): \(log.suffix(3000))")
        }
        self.moto = started.moto
        self.emulators = started.emulators
    }

    deinit { stop() }

    public func stop() {
        guard !stopped else { return }
        stopped = true
        try? input.fileHandleForWriting.close()
        let giveUp = Date().addingTimeInterval(Self.stopTimeout)
        while process.isRunning && Date() < giveUp { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
