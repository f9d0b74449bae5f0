import Foundation
import TandemTestSupport
import Testing

/// The README's commands run exactly as written, and its transcripts show what Tandem prints.
@Suite("The README, as written")
struct ReadmeTests {
    /// The README's fenced code blocks: their language and lines.
    static let blocks: [(language: String, lines: [String])] = {
        let text = (try? String(contentsOf: PackagePaths.root.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""
        var blocks: [(String, [String])] = []
        var current: (String, [String])?
        for line in text.components(separatedBy: "\n") {
            if line.hasPrefix("```") {
                if let block = current { blocks.append(block); current = nil } else { current = (String(line.dropFirst(3)), []) }
            } else if current != nil {
                current?.1.append(line)
            }
        }
        return blocks
    }()

    /// `swift run tandem ...` lines of the shell blocks (the benchmarks and the test run excepted:
    /// those are the CI's own steps).
    static let commands: [String] = blocks.filter { $0.language == "sh" }.flatMap(\.lines)
        .filter { $0.hasPrefix("swift run tandem ") }

    /// Runs a shell command line with `tandem` (the built one) where the README says `swift run
    /// tandem`, in a scratch directory that sees the repository's examples.
    static func shell(_ line: String) throws -> ProcessResult {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-readme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createSymbolicLink(at: directory.appendingPathComponent("examples"),
                                                   withDestinationURL: PackagePaths.root.appendingPathComponent("examples"))
        let command = line.replacingOccurrences(of: "swift run tandem ", with: "\"$TANDEM\" ")
        return try runProcess(["sh", "-c", command], environment: ["TANDEM": Tandem.executable.path], directory: directory)
    }

    @Test("the README has commands and transcripts to check")
    func hasThem() {
        #expect(Self.commands.count >= 3)
        #expect(Self.blocks.contains { $0.lines.first?.hasPrefix("$ tandem ") == true })
    }

    @Test("every `swift run tandem` command in the README succeeds", arguments: commands)
    func commandSucceeds(_ line: String) throws {
        let run = try Self.shell(line)
        #expect(run.status == 0, "\(line): \(run.stderr)")
    }

    @Test("every transcript shows what tandem prints")
    func transcripts() throws {
        for block in Self.blocks where block.lines.first?.hasPrefix("$ tandem ") == true {
            guard let first = block.lines.first else { continue }
            let arguments = first.dropFirst("$ tandem ".count).split(separator: " ").map(String.init)
            let run = try Tandem.run(arguments, directory: PackagePaths.root)
            let expected = block.lines.dropFirst().joined(separator: "\n") + "\n"
            #expect(run.stdout + run.stderr == expected, "\(first):\n\(lineDiff(expected: expected, actual: run.stdout + run.stderr))")
        }
    }
}
