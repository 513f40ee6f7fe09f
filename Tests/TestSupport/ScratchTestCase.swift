import Foundation
import XCTest

/// A test case with a scratch folder of its own for each test, removed after it.
open class ScratchTestCase: XCTestCase {
    public private(set) var scratch = ""

    override open func setUpWithError() throws {
        try super.setUpWithError()
        scratch = try makeScratchDirectory()
    }

    override open func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: scratch)
        try super.tearDownWithError()
    }
}
