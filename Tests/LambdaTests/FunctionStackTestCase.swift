import TestSupport
import XCTest

/// Test cases that share one FunctionStack (moto and the function under the emulator) per class,
/// started once before its tests and stopped after them; each test has its own scratch folder.
class FunctionStackTestCase: ScratchTestCase {
    /// Left out of the students table; test_8.mp4 shows him.
    static let absentStudent = "president_obama"

    /// The function's extra settings for this class (RECOGNITION_MODE, say).
    class var functionEnvironment: [String: String] { [:] }
    /// How many emulators serve the function (each one invocation at a time).
    class var emulators: Int { 1 }
    /// Whether the function gets ROSTERS_URI and ATTENDANCE_TABLE.
    class var courses: Bool { false }

    private static var stacks: [ObjectIdentifier: Result<FunctionStack, Error>] = [:]

    override class func setUp() {
        super.setUp()
        stacks[ObjectIdentifier(self)] = Result {
            try FunctionStack(tableWithout: absentStudent, environment: functionEnvironment, emulators: emulators, courses: courses)
        }
    }

    override class func tearDown() {
        if case .success(let running) = stacks.removeValue(forKey: ObjectIdentifier(self)) { running.stop() }
        super.tearDown()
    }

    /// This class's stack, or why it could not start.
    func running() throws -> FunctionStack {
        guard let stack = Self.stacks[ObjectIdentifier(type(of: self))] else { throw TestSetupError("the class's setUp did not run") }
        return try stack.get()
    }
}
