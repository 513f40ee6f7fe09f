import Dispatch
import Synchronization

/// The one parallel loop: one thread per worker, the threads taking the items in turn, each
/// item's result returned at the item's index. A body that can fail returns its failure.
public enum ParallelWork {
    public static func map<Worker, Item, Result>(_ items: [Item], workers: [Worker],
                                                 _ body: (Worker, Item) -> Result) -> [Result] {
        let next = Atomic<Int>(0)
        let results = Mutex<[Result?]>(Array(repeating: nil, count: items.count))
        DispatchQueue.concurrentPerform(iterations: min(workers.count, items.count)) { slot in
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < items.count else { return }
                let result = body(workers[slot], items[index])
                results.withLock { $0[index] = result }
            }
        }
        return results.withLock { $0.map { $0! } }
    }
}
