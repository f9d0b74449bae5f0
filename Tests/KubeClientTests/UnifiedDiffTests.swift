import Foundation
import TandemDeploy
import TandemTestSupport
import Testing

/// The unified diff is checked against GNU diff, line for line.
@Suite struct UnifiedDiffTests {
    static let pairs: [(String, String)] = [
        ("a\nb\nc\n", "a\nB\nc\n"),
        ("", "one\ntwo\n"),
        ("one\ntwo\n", ""),
        ((1...30).map { "line \($0)" }.joined(separator: "\n") + "\n",
         (1...30).map { $0 == 3 || $0 == 25 ? "changed \($0)" : "line \($0)" }.joined(separator: "\n") + "\n"),
        ("x\ny\nz\n", "w\nx\ny\nz\nq\n"),
        ("image: busybox:1.36\nreplicas: 1\n", "image: busybox:1.37\nreplicas: 1\nextra: true\n"),
    ]

    @Test(arguments: 0..<pairs.count)
    func matchesGNUDiff(_ index: Int) throws {
        let (old, new) = Self.pairs[index]
        let ours = UnifiedDiff.diff(old: old, new: new, oldName: "old", newName: "new")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("diff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try old.write(to: directory.appendingPathComponent("old"), atomically: true, encoding: .utf8)
        try new.write(to: directory.appendingPathComponent("new"), atomically: true, encoding: .utf8)
        let gnu = try runProcess(["diff", "-u", "old", "new"], directory: directory)
        // GNU diff's headers carry timestamps; the hunks must be the same.
        let gnuHunks = gnu.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).joined(separator: "\n")
        let ourHunks = ours.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).joined(separator: "\n")
        #expect(ourHunks == gnuHunks, "ours:\n\(ours)\nGNU:\n\(gnu.stdout)")
    }

    @Test func equalTextsHaveNoDiff() {
        #expect(UnifiedDiff.diff(old: "a\n", new: "a\n", oldName: "x", newName: "y").isEmpty)
    }
}
