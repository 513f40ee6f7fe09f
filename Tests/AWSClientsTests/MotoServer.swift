import AWSClients
import Foundation
import SigV4
import TestSupport
import XCTest

/// A local AWS that checks signatures and enforces IAM, started by the harness (scripts/moto-env
/// start: scripts/moto-server, moto_server with AWS's S3 path and DynamoDB resource checks, on a
/// free loopback port with INITIAL_NO_AUTH_ACTION_COUNT=0, then provisioned): a user and a role
/// session (temporary credentials with a session token, as in Lambda) with the function's
/// least-privilege policy, an operator user, the buckets and the tables.
final class MotoServer {
    static let tableWithoutIndex = "students-noindex"

    enum User: String {
        case function = "AWS_", functionRole = "FUNCTION_ROLE_", `operator` = "OPERATOR_"
    }

    let endpoint: String
    /// The `export NAME=value` lines of moto-env.
    let environment: [String: String]
    private let servers: HarnessServers

    init(scratch: String) throws {
        servers = try HarnessServers(moto: true, tableWithoutIndex: Self.tableWithoutIndex, runDirectory: scratch)
        guard let moto = servers.moto else { throw TestSetupError("the harness started no moto") }
        endpoint = moto.endpoint
        environment = moto.exports
    }

    func stop() { servers.stop() }

    var inputBucket: String { environment["INPUT_BUCKET"] ?? "" }
    var outputBucket: String { environment["OUTPUT_BUCKET"] ?? "" }
    var table: String { environment["STUDENTS_TABLE"] ?? "" }

    /// The configuration of one of the identities, optionally with a wrong secret or session
    /// token; retries fast.
    func configuration(_ user: User, secret: String? = nil, sessionToken: String? = nil) -> AWSConfiguration {
        let prefix = user.rawValue
        let credentials = Credentials(accessKeyID: environment[prefix + "ACCESS_KEY_ID"] ?? "",
                                      secretAccessKey: secret ?? environment[prefix + "SECRET_ACCESS_KEY"] ?? "",
                                      sessionToken: sessionToken ?? environment[prefix + "SESSION_TOKEN"])
        return AWSConfiguration(credentials: credentials, region: environment["AWS_REGION"] ?? "us-east-1", endpointURL: endpoint,
                                retryPolicy: RetryPolicy(maxAttempts: 3, baseDelay: 0.01, maxDelay: 0.05), requestTimeout: 20)
    }

    /// The environment a command-line run needs to act as `user` against this server.
    func commandEnvironment(_ user: User) -> [String: String] {
        let prefix = user.rawValue
        return ["AWS_ACCESS_KEY_ID": environment[prefix + "ACCESS_KEY_ID"] ?? "",
                "AWS_SECRET_ACCESS_KEY": environment[prefix + "SECRET_ACCESS_KEY"] ?? "",
                "AWS_SESSION_TOKEN": environment[prefix + "SESSION_TOKEN"] ?? "",
                "AWS_REGION": environment["AWS_REGION"] ?? "", "AWS_ENDPOINT_URL": endpoint]
    }
}

/// A test case sharing one provisioned moto among its tests (started once per class).
class MotoTestCase: ScratchTestCase {
    private static var servers: [ObjectIdentifier: Result<MotoServer, Error>] = [:]
    private static var scratchDirectories: [ObjectIdentifier: String] = [:]

    override class func setUp() {
        super.setUp()
        let id = ObjectIdentifier(self)
        servers[id] = Result {
            let scratch = try makeScratchDirectory()
            scratchDirectories[id] = scratch
            return try MotoServer(scratch: scratch)
        }
    }

    override class func tearDown() {
        let id = ObjectIdentifier(self)
        if case .success(let server) = servers[id] { server.stop() }
        servers[id] = nil
        if let scratch = scratchDirectories.removeValue(forKey: id) { try? FileManager.default.removeItem(atPath: scratch) }
        super.tearDown()
    }

    /// Each call must fail with AccessDenied (HTTP 403) at the first attempt: permission errors are not retried.
    func assertAccessDenied(_ calls: [(String, () throws -> Void)], file: StaticString = #filePath, line: UInt = #line) {
        for (what, call) in calls {
            XCTAssertThrowsError(try call(), what, file: file, line: line) {
                let error = $0 as? AWSError
                XCTAssertEqual(error?.code, "AccessDenied", "\(what): \($0)", file: file, line: line)
                XCTAssertEqual(error?.httpStatus, 403, what, file: file, line: line)
                XCTAssertEqual(error?.attempts, 1, "\(what): a permission error is not retried", file: file, line: line)
            }
        }
    }

    /// This class's moto; throws (failing the test) when it could not start.
    func moto() throws -> MotoServer {
        guard let server = Self.servers[ObjectIdentifier(type(of: self))] else { throw TestSetupError("moto was not started") }
        return try server.get()
    }
}
