/// Runs `body` over `items` with at most `limit` in flight; results in the order of `items`.
func concurrentMap<Item: Sendable, Result: Sendable>(
    _ items: [Item], limit: Int, _ body: @escaping @Sendable (Item) async -> Result
) async -> [Result] {
    guard !items.isEmpty else { return [] }
    return await withTaskGroup(of: (Int, Result).self) { group in
        var results = [Result?](repeating: nil, count: items.count)
        var next = 0
        func startNext() {
            let index = next
            let item = items[index]
            group.addTask { (index, await body(item)) }
            next += 1
        }
        while next < min(limit, items.count) { startNext() }
        for await (index, result) in group {
            results[index] = result
            if next < items.count { startNext() }
        }
        return results.map { $0! }
    }
}
