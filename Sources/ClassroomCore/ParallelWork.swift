import Dispatch
import Foundation

/// The one parallel loop: one thread per worker, the threads taking the items in turn, each
/// item's result returned at the item's index. A body that can fail returns its failure.
public enum ParallelWork {
    public static func map<Worker, Item, Result>(_ items: [Item], workers: [Worker],
                                                 _ body: (Worker, Item) -> Result) -> [Result] {
        var results = [Result?](repeating: nil, count: items.count)
        let lock = NSLock()
        var next = 0
        DispatchQueue.concurrentPerform(iterations: min(workers.count, items.count)) { slot in
            while let index = lock.withLock({ () -> Int? in
                defer { next += 1 }
                return next < items.count ? next : nil
            }) {
                let result = body(workers[slot], items[index])
                lock.withLock { results[index] = result }
            }
        }
        return results.map { $0! }
    }
}
