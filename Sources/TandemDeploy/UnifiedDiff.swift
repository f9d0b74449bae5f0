/// A unified diff of two texts, line by line (Myers' algorithm: the shortest edit script), with
/// three lines of context around each change, as `diff -u` prints it.
public enum UnifiedDiff {
    enum Edit: Equatable {
        case same(String), removed(String), added(String)
    }

    /// The diff with `---`/`+++` headers; empty when the texts are equal.
    public static func diff(old: String, new: String, oldName: String, newName: String, context: Int = 3) -> String {
        let oldLines = lines(old), newLines = lines(new)
        let edits = script(oldLines, newLines)
        guard edits.contains(where: { if case .same = $0 { return false } else { return true } }) else { return "" }
        var output = "--- \(oldName)\n+++ \(newName)\n"
        for hunk in hunks(edits, context: context) { output += hunk }
        return output
    }

    static func lines(_ text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// The shortest edit script turning `a` into `b`.
    static func script(_ a: [String], _ b: [String]) -> [Edit] {
        let n = a.count, m = b.count
        let max = n + m
        guard max > 0 else { return [] }
        var v = [Int](repeating: 0, count: 2 * max + 2)
        var trace: [[Int]] = []
        search: for d in 0...max {
            trace.append(v)
            for k in stride(from: -d, through: d, by: 2) {
                var x = (k == -d || (k != d && v[max + k - 1] < v[max + k + 1])) ? v[max + k + 1] : v[max + k - 1] + 1
                var y = x - k
                while x < n, y < m, a[x] == b[y] { x += 1; y += 1 }
                v[max + k] = x
                if x >= n, y >= m { trace.append(v); break search }
            }
        }
        // Walk back through the saved frontiers.
        var edits: [Edit] = []
        var x = n, y = m
        for d in stride(from: trace.count - 2, through: 0, by: -1) {
            let v = trace[d]
            let k = x - y
            let previousK = (k == -d || (k != d && v[max + k - 1] < v[max + k + 1])) ? k + 1 : k - 1
            let previousX = v[max + previousK]
            let previousY = previousX - previousK
            while x > previousX, y > previousY {
                edits.append(.same(a[x - 1])); x -= 1; y -= 1
            }
            if d > 0 {
                if x == previousX { edits.append(.added(b[y - 1])); y -= 1 } else { edits.append(.removed(a[x - 1])); x -= 1 }
            }
        }
        while x > 0, y > 0 { edits.append(.same(a[x - 1])); x -= 1; y -= 1 }
        return edits.reversed()
    }

    /// Groups edits into `@@ -l,s +l,s @@` hunks.
    static func hunks(_ edits: [Edit], context: Int) -> [String] {
        var changed: [Int] = []
        for (index, edit) in edits.enumerated() { if case .same = edit {} else { changed.append(index) } }
        var ranges: [ClosedRange<Int>] = []
        for index in changed {
            let range = Swift.max(0, index - context)...Swift.min(edits.count - 1, index + context)
            if let last = ranges.last, range.lowerBound <= last.upperBound + 1 {
                ranges[ranges.count - 1] = last.lowerBound...Swift.max(last.upperBound, range.upperBound)
            } else {
                ranges.append(range)
            }
        }
        // Line numbers at each edit.
        var oldLine = [Int](repeating: 0, count: edits.count + 1), newLine = oldLine
        for (index, edit) in edits.enumerated() {
            switch edit {
            case .same: (oldLine[index + 1], newLine[index + 1]) = (oldLine[index] + 1, newLine[index] + 1)
            case .removed: (oldLine[index + 1], newLine[index + 1]) = (oldLine[index] + 1, newLine[index])
            case .added: (oldLine[index + 1], newLine[index + 1]) = (oldLine[index], newLine[index] + 1)
            }
        }
        return ranges.map { range in
            var body = ""
            var oldCount = 0, newCount = 0
            for edit in edits[range] {
                switch edit {
                case .same(let line): body += " \(line)\n"; oldCount += 1; newCount += 1
                case .removed(let line): body += "-\(line)\n"; oldCount += 1
                case .added(let line): body += "+\(line)\n"; newCount += 1
                }
            }
            let oldStart = oldCount == 0 ? oldLine[range.lowerBound] : oldLine[range.lowerBound] + 1
            let newStart = newCount == 0 ? newLine[range.lowerBound] : newLine[range.lowerBound] + 1
            return "@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@\n" + body
        }
    }
}
