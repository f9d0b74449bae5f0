import ArgumentParser
import Foundation
import TandemDefinitions
import TandemJSON
import TandemModel
import TandemRendering

struct DefinitionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "definitions",
        abstract: "List every component type and trait.",
        discussion: "Example:\n  tandem definitions")

    func run() {
        let registry = DefinitionRegistry.builtIn
        var rows: [[String]] = [["NAME", "KIND", "APPLIES-TO", "DESCRIPTION"]]
        for name in registry.componentNames {
            rows.append([name, "component", "-", registry.components[name]?.description ?? ""])
        }
        for name in registry.traitNames {
            guard let trait = registry.traits[name] else { continue }
            let fits = registry.fittingTypes(trait)
            rows.append([name, "trait", fits.count == registry.componentNames.count ? "*" : fits.joined(separator: ","), trait.description])
        }
        let widths = (0..<3).map { column in rows.map { $0[column].count }.max() ?? 0 }
        Output.standardOutput(rows.map { row in
            (0..<3).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ") + "  " + row[3]
        }.joined(separator: "\n") + "\n")
    }
}

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show the parameters of a component type or trait.",
        discussion: "Example:\n  tandem show sidecar\n  tandem show webservice --format markdown")

    @Argument(help: "A component type or trait, such as worker or sidecar.")
    var type: String

    @Option(help: "text or markdown.")
    var format: ShowFormat = .text

    func validate() throws {
        let registry = DefinitionRegistry.builtIn
        guard registry.components[type] != nil || registry.traits[type] != nil else {
            let names = registry.componentNames + registry.traitNames
            let suggestion = Suggestion.closest(to: type, among: names).map { "; did you mean '\($0)'?" } ?? ""
            throw ValidationError("no component type or trait is named '\(type)'\(suggestion) (tandem definitions lists them)")
        }
    }

    func run() {
        let registry = DefinitionRegistry.builtIn
        let (kind, description, schema): (String, String, Schema) = registry.components[type].map {
            ("component type", $0.description, $0.parameters)
        } ?? registry.traits[type].map { ("trait", $0.description, $0.parameters) }!
        let table = ParameterTable(schema)
        switch format {
        case .text:
            Output.standardOutput("\(type) (\(kind)): \(description)\n\n" + table.text)
        case .markdown:
            Output.standardOutput("# `\(type)`\n\n\(description)\n\n" + table.markdown)
        }
    }
}

enum ShowFormat: String, ExpressibleByArgument, CaseIterable {
    case text, markdown
}

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print a JSON Schema for Application files, for editors.",
        discussion: """
            Save it and point yaml-language-server at it, for completion and checks as you type:
              tandem schema > tandem.schema.json
              # first line of app.yaml:
              # yaml-language-server: $schema=./tandem.schema.json

            Example:
              tandem schema > tandem.schema.json
            """)

    func run() {
        Output.standardOutput(JSONWriter.write(JSONSchemaWriter.applicationSchema(), indentWidth: 2))
    }
}

struct DocsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs",
        abstract: "Write the reference manual (Markdown) into a directory.",
        discussion: "Example:\n  tandem docs docs/reference")

    @Argument(help: "The directory to write into.")
    var directory: String = "docs/reference"

    func run() throws {
        let base = URL(fileURLWithPath: directory)
        for (path, content) in ReferenceManual().files() {
            let url = base.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try content.write(to: url, atomically: true, encoding: .utf8)
        }
        Output.standardError("tandem: wrote the reference manual to \(directory)\n")
    }
}
