import ArgumentParser
import KubeModel
import TandemController
import TandemJSON
import TandemKubeVela

/// `tandem def list`: the definitions the cluster has, as `vela def list` shows them.
struct DefListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the definitions in the cluster.",
        discussion: """
            Example:
              tandem def list
              tandem def list -n shop
              tandem def list -A -o json
            """)

    @Option(name: [.short, .long], help: ArgumentHelp("The namespace to list.", valueName: "namespace"))
    var namespace = InstallManifests.definitionNamespace

    @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "List the definitions of every namespace.")
    var allNamespaces = false

    @Option(name: .shortAndLong, help: "Output format: text or json.")
    var output: ListFormat = .text

    @OptionGroup var cluster: ClusterOptions

    enum ListFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func run() async throws {
        let session = try ClusterSession.open(cluster)
        let found: [(kind: DefinitionKind, object: KubeObject)]
        do {
            found = try await ClusterDefinitions.list(session.client, namespace: allNamespaces ? nil : namespace)
            await session.close()
        } catch {
            await session.close()
            throw CLIFailure.from(error)
        }
        let rows = found.map { entry in
            (name: entry.object.name, type: entry.kind.rawValue, namespace: entry.object.namespace ?? "",
             description: entry.object.json[path: ["metadata", "annotations", "definition.oam.dev/description"]]?.string ?? "")
        }.sorted { ($0.namespace, $0.type, $0.name) < ($1.namespace, $1.type, $1.name) }
        switch output {
        case .json:
            let items: [JSONValue] = rows.map {
                ["name": .string($0.name), "type": .string($0.type), "namespace": .string($0.namespace), "description": .string($0.description)]
            }
            Output.standardOutput(JSONWriter.write(.array(items)) + "\n")
        case .text:
            guard !rows.isEmpty else {
                Output.standardError("tandem: no definitions in \(allNamespaces ? "any namespace" : "namespace \(namespace)")\n")
                return
            }
            Output.standardOutput(Self.table([["NAME", "TYPE", "NAMESPACE", "DESCRIPTION"]]
                + rows.map { [$0.name, $0.type, $0.namespace, $0.description] }))
        }
    }

    /// Columns padded to their widest cell, as kubectl prints tables.
    static func table(_ rows: [[String]]) -> String {
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column] + 3, withPad: " ", startingAt: 0)
            }.joined()
        }.joined(separator: "\n") + "\n"
    }
}
