import ClassroomCore
import Foundation
import XCTest

/// The one parallel loop: every item once, results in the items' order, a worker on one thread at a time.
final class ParallelWorkTests: XCTestCase {
    private final class Worker: @unchecked Sendable {
        let lock = NSLock()
        var busy = false
        var overlapped = false
        var items = 0

        func run(_ item: Int) -> Int {
            lock.withLock {
                overlapped = overlapped || busy
                busy = true
            }
            usleep(200)
            lock.withLock {
                busy = false
                items += 1
            }
            return item * item
        }
    }

    func testEveryItemOnceInOrderAndNoWorkerTwiceAtOnce() {
        let workers = (0..<3).map { _ in Worker() }
        let results = ParallelWork.map(Array(0..<50), workers: workers) { worker, item in worker.run(item) }
        XCTAssertEqual(results, (0..<50).map { $0 * $0 })
        XCTAssertEqual(workers.map(\.items).reduce(0, +), 50)
        XCTAssertFalse(workers.contains { $0.overlapped })
    }

    func testMoreWorkersThanItemsAndNoItems() {
        XCTAssertEqual(ParallelWork.map([7], workers: [1, 2, 3]) { worker, item in item + worker * 0 }, [7])
        XCTAssertEqual(ParallelWork.map([Int](), workers: [1]) { _, item in item }, [])
    }
}
