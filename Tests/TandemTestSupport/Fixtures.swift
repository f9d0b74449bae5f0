import Foundation
import Testing

/// A fixture case: a folder holding an input, the expected results, and optional `flags`.
public struct FixtureCase: CustomTestStringConvertible, Sendable {
    public let folder: URL
    public var name: String { folder.lastPathComponent }
    public var testDescription: String { name }

    public init(folder: URL) {
        self.folder = folder
    }

    /// The case folders of `group`, next to the test file that asks.
    public static func all(in group: String, besides file: String = #filePath) -> [FixtureCase] {
        let directory = URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(group)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.sorted().map { FixtureCase(folder: directory.appendingPathComponent($0)) }
            .filter { (try? $0.folder.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true }
    }

    public func file(_ name: String) -> URL { folder.appendingPathComponent(name) }

    public func read(_ name: String) -> String? {
        try? String(contentsOf: file(name), encoding: .utf8)
    }

    /// The words of the `flags` file.
    public var flags: [String] {
        (read("flags") ?? "").split(whereSeparator: \.isWhitespace).map(String.init)
    }
}

/// Fails unless a fixture folder yielded cases: a misspelled or moved folder must not turn a
/// parameterised test into one that runs nothing and passes.
public func expectCases(_ cases: [FixtureCase], in group: String, atLeast minimum: Int = 1,
                        sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(cases.count >= minimum, "the fixture folder \(group) holds \(cases.count) cases; expected at least \(minimum)",
            sourceLocation: sourceLocation)
}

/// Compares `actual` with the file `name` of the case. With TANDEM_RECORD=1 in the environment
/// it writes `actual` there instead, and still fails, so that a recording never passes unseen.
public func expectMatchesFile(_ actual: String, _ name: String, of fixture: FixtureCase,
                              sourceLocation: SourceLocation = #_sourceLocation) {
    let url = fixture.file(name)
    let expected = fixture.read(name) ?? ""
    if ProcessInfo.processInfo.environment["TANDEM_RECORD"] == "1" {
        if actual != expected {
            if actual.isEmpty { try? FileManager.default.removeItem(at: url) } else { try? actual.write(to: url, atomically: true, encoding: .utf8) }
            Issue.record("recorded \(fixture.name)/\(name); run again without TANDEM_RECORD", sourceLocation: sourceLocation)
        }
        return
    }
    if actual != expected {
        Issue.record("\(fixture.name)/\(name) differs:\n\(lineDiff(expected: expected, actual: actual))", sourceLocation: sourceLocation)
    }
}

/// The first differing line, with two lines of context.
public func lineDiff(expected: String, actual: String) -> String {
    let expectedLines = expected.components(separatedBy: "\n")
    let actualLines = actual.components(separatedBy: "\n")
    let count = max(expectedLines.count, actualLines.count)
    guard let first = (0..<count).first(where: { index in
        (index < expectedLines.count ? expectedLines[index] : nil) != (index < actualLines.count ? actualLines[index] : nil)
    }) else { return "(no difference)" }
    var text = ""
    for index in max(0, first - 2)..<min(count, first + 3) {
        let left = index < expectedLines.count ? expectedLines[index] : "<end>"
        let right = index < actualLines.count ? actualLines[index] : "<end>"
        text += left == right ? "  \(index + 1): \(left)\n" : "- \(index + 1): \(left)\n+ \(index + 1): \(right)\n"
    }
    return text
}

/// A small, fast, seedable random number generator, so every run draws the same.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
