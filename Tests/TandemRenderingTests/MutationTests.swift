import Foundation
import Testing
import TandemJSON
import TandemModel
import TandemTestSupport
@testable import TandemRendering

/// Deterministic mutation testing: at least 10,000 structured and byte-level mutations of the
/// seed examples and golden inputs go through the whole pipeline. None may crash; each either
/// renders, or fails with errors that all carry a location and renders nothing.
@Suite("Mutations")
struct MutationTests {
    static let seeds: [String] = FixtureCase.all(in: "Golden").compactMap { $0.read("app.yaml") }
        + FixtureCase.all(in: "Invalid").filter { $0.name.hasPrefix("seed-") }.compactMap { $0.read("app.yaml") }

    @Test("10,000 mutations: no crash, a location on every error, nothing rendered on error")
    func mutations() throws {
        var random = SplitMix64(seed: 0x7A4D_E11E)
        var outcomes = (rendered: 0, refused: 0)
        let perSeed = 10_000 / Self.seeds.count + 1
        for seed in Self.seeds {
            let tree = try #require(try rereadDocuments(seed).first)
            for round in 0..<perSeed {
                let input: [UInt8] = round % 2 == 0
                    ? Array(YAMLWriter.document(Mutator.mutate(tree, &random)).utf8)
                    : Mutator.mutate(bytes: Array(seed.utf8), &random)
                let result = RenderPipeline().render([SourceFile(name: "m.yaml", bytes: input)])
                if result.hasErrors {
                    outcomes.refused += 1
                    #expect(result.objects.isEmpty)
                    for diagnostic in result.diagnostics {
                        #expect(diagnostic.location != nil, "no location: \(diagnostic)")
                    }
                } else {
                    outcomes.rendered += 1
                    // Only a workflow that deploys no component renders nothing, and says so.
                    #expect(!result.objects.isEmpty || result.diagnostics.contains { $0.code == .undeliveredComponent })
                    let yaml = YAMLWriter.documents(result.objects.map(\.json))
                    #expect(try rereadDocuments(yaml) == result.objects.map(\.json))
                }
            }
        }
        #expect(outcomes.rendered + outcomes.refused >= 10_000)
        // Both outcomes must be common, or the mutations test only one path.
        #expect(outcomes.rendered > 500 && outcomes.refused > 500, "\(outcomes)")
    }
}

enum Mutator {
    /// Values of every type, to put where another type was.
    static let replacements: [JSONValue] = [
        .null, true, 0, -1, 65536, .double(1.5), "", "x", "My_Name", "8080", "500m", "-c", "yes",
        [], ["a", 1], .object(JSONObject()), ["exec": ["command": ["true"]]], ["name": "x", "path": "/x"],
    ]

    /// One structural change: delete, duplicate, retype or swap a node.
    static func mutate(_ tree: JSONValue, _ random: inout SplitMix64) -> JSONValue {
        var paths: [[PathStep]] = []
        collect(tree, [], &paths)
        guard let target = paths.randomElement(using: &random), !target.isEmpty else { return tree }
        var tree = tree
        switch random.next() % 4 {
        case 0:  // delete
            tree = update(tree, target) { _ in nil }
        case 1:  // duplicate: an item again in its list, or a mapping's value under another key
            let value = lookup(tree, target)
            tree = update(tree, Array(target.dropLast())) { parent in
                switch (parent, target.last!) {
                case (.array(var items), .index(let index)): items.insert(value ?? .null, at: index); return .array(items)
                case (.object(var object), .key(let key)): object[key + "x"] = value; return .object(object)
                default: return parent
                }
            }
        case 2:  // retype
            let replacement = replacements.randomElement(using: &random)!
            tree = update(tree, target) { _ in replacement }
        default:  // swap with another node
            let other = paths.randomElement(using: &random)!
            let (first, second) = (lookup(tree, target), lookup(tree, other))
            tree = update(tree, target) { _ in second }
            tree = update(tree, other) { _ in first }
        }
        return tree
    }

    /// One byte-level change: truncate, inject bytes, or duplicate, delete or indent a line.
    static func mutate(bytes: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        var bytes = bytes
        let position = Int(random.next() % UInt64(bytes.count + 1))
        switch random.next() % 5 {
        case 0:
            bytes.removeSubrange(position...)
        case 1:
            let injections: [[UInt8]] = [[0], [0xFF], [0xC3], [0xEF, 0xBB, 0xBF], [9], [13], Array(": ".utf8), Array("- ".utf8),
                                         Array("[".utf8), Array("{".utf8), Array("&a ".utf8), Array("*a".utf8), Array("!!int ".utf8),
                                         Array("'".utf8), Array("\"".utf8), Array("#".utf8), Array("\n  ".utf8), Array("%YAML 1.1\n".utf8)]
            bytes.insert(contentsOf: injections.randomElement(using: &random)!, at: position)
        default:
            var lines = bytes.split(separator: 10, omittingEmptySubsequences: false).map(Array.init)
            let index = Int(random.next() % UInt64(lines.count))
            switch random.next() % 3 {
            case 0: lines.insert(lines[index], at: index)
            case 1: lines.remove(at: index)
            default: lines[index] = Array("  ".utf8) + lines[index]
            }
            bytes = Array(lines.joined(separator: [10]))
        }
        return bytes
    }

    enum PathStep { case key(String), index(Int) }

    static func collect(_ value: JSONValue, _ path: [PathStep], _ paths: inout [[PathStep]]) {
        paths.append(path)
        switch value {
        case .object(let object): for member in object { collect(member.value, path + [.key(member.key)], &paths) }
        case .array(let items): for (index, item) in items.enumerated() { collect(item, path + [.index(index)], &paths) }
        default: break
        }
    }

    static func lookup(_ value: JSONValue, _ path: [PathStep]) -> JSONValue? {
        var current: JSONValue? = value
        for step in path {
            switch (current, step) {
            case (.object(let object)?, .key(let key)): current = object[key]
            case (.array(let items)?, .index(let index)) where items.indices.contains(index): current = items[index]
            default: return nil
            }
        }
        return current
    }

    /// The tree with the value at `path` replaced by `change`'s result (removed when it returns nil).
    static func update(_ value: JSONValue, _ path: [PathStep], _ change: (JSONValue) -> JSONValue?) -> JSONValue {
        guard let step = path.first else { return change(value) ?? .null }
        switch (value, step) {
        case (.object(var object), .key(let key)):
            guard let child = object[key] else { return value }
            object[key] = path.count == 1 ? change(child) : update(child, Array(path.dropFirst()), change)
            return .object(object)
        case (.array(var items), .index(let index)) where items.indices.contains(index):
            if path.count == 1 {
                if let changed = change(items[index]) { items[index] = changed } else { items.remove(at: index) }
            } else {
                items[index] = update(items[index], Array(path.dropFirst()), change)
            }
            return .array(items)
        default:
            return value
        }
    }
}
