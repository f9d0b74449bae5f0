import ArgumentParser
import Foundation
import TandemDefinitions
import TandemJSON
import TandemModel
import TandemRendering

enum CatalogFormat: String, ExpressibleByArgument, CaseIterable {
    case text, markdown, json
}

struct DefinitionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "definitions",
        abstract: "List every component type and trait.",
        discussion: "Example:\n  tandem definitions\n  tandem definitions -o json")

    @Option(name: [.customShort("o"), .customLong("output")], help: "text or json.")
    var output: CatalogFormat = .text

    @OptionGroup var definitions: DefinitionOptions

    func validate() throws {
        if output == .markdown { throw ValidationError("definitions prints text or json") }
    }

    func run() throws {
        let registry = try definitions.registry()
        var entries: [(name: String, kind: String, appliesTo: [String], description: String)] = []
        for name in registry.componentNames {
            entries.append((name, "component", [], registry.components[name]?.description ?? ""))
        }
        for name in registry.traitNames {
            guard let trait = registry.traits[name] else { continue }
            entries.append((name, "trait", registry.fittingTypes(trait), trait.description))
        }
        switch output {
        case .json:
            Output.standardOutput(JSONWriter.write(.array(entries.map { entry in
                ["name": .string(entry.name), "kind": .string(entry.kind),
                 "appliesTo": .array(entry.appliesTo.map(JSONValue.string)), "description": .string(entry.description)]
            }), indentWidth: 2))
        default:
            let all = registry.componentNames
            let withPods = all.filter { registry.components[$0]?.hasPodTemplate == true }
            Output.standardOutput(TextTable([["NAME", "KIND", "APPLIES-TO", "DESCRIPTION"]] + entries.map { entry in
                let fits = entry.kind == "component" ? "-"
                    : entry.appliesTo == all ? "*" : entry.appliesTo == withPods ? "pod types" : entry.appliesTo.joined(separator: ", ")
                return [entry.name, entry.kind, fits, entry.description]
            }, wrapping: [2: 18]).render(width: Terminal.width))
            if output == .text, withPods != all, entries.contains(where: { $0.appliesTo == withPods }) {
                Output.standardOutput("\npod types: \(withPods.joined(separator: ", "))\n")
            }
        }
    }
}

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show the parameters of a component type or trait.",
        discussion: "Example:\n  tandem show sidecar\n  tandem show webservice --format markdown\n  tandem show labels -o json")

    @Argument(help: "A component type or trait, such as worker or sidecar.")
    var type: String

    @Option(name: [.customShort("o"), .customLong("format"), .customLong("output")], help: "text, markdown or json.")
    var format: CatalogFormat = .text

    @OptionGroup var definitions: DefinitionOptions

    func run() throws {
        let registry = try definitions.registry()
        guard registry.components[type] != nil || registry.traits[type] != nil else {
            let names = registry.componentNames + registry.traitNames
            let suggestion = (registry.traitAliases[type] ?? registry.componentAliases[type] ?? Suggestion.closest(to: type, among: names))
                .map { "; did you mean '\($0)'?" } ?? ""
            throw ValidationError("no component type or trait is named '\(type)'\(suggestion) (tandem definitions lists them)")
        }
        let entry: (kind: String, description: String, schema: Schema)?
        if let component = registry.components[type] {
            entry = ("component type", component.description, component.parameters)
        } else if let trait = registry.traits[type] {
            entry = ("trait", trait.description, trait.parameters)
        } else {
            entry = nil
        }
        guard let (kind, description, schema) = entry else { return }
        let table = ParameterTable(schema)
        // A definition whose parameters are a map says so before the table.
        var shape = ""
        if case .map(let value) = schema.kind {
            shape = "It takes a map: each key to \(ParameterTable.typeName(value))\(value.nullable ? " or null" : "").\n\n"
        }
        switch format {
        case .text:
            let width = Terminal.width
            let heading = "\(type) (\(kind)): \(description)"
            let lines = width.map { TextTable.wrap(heading, width: $0) } ?? [heading]
            let wrappedShape = width.map { TextTable.wrap(shape.trimmingCharacters(in: .newlines), width: $0).joined(separator: "\n") + "\n\n" } ?? shape
            Output.standardOutput(lines.joined(separator: "\n") + "\n\n" + (shape.isEmpty ? "" : wrappedShape) + table.text(width: width))
        case .markdown:
            Output.standardOutput("# `\(type)`\n\n\(description)\n\n" + shape + table.markdown)
        case .json:
            Output.standardOutput(JSONWriter.write([
                "name": .string(type), "kind": .string(kind), "description": .string(description),
                "parameters": table.json, "schema": JSONSchemaWriter.convert(schema),
            ], indentWidth: 2))
        }
    }
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

    @OptionGroup var definitions: DefinitionOptions

    func run() throws {
        Output.standardOutput(JSONWriter.write(JSONSchemaWriter.applicationSchema(registry: try definitions.registry()), indentWidth: 2))
    }
}

struct DocsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs",
        abstract: "Write the reference manual (Markdown) into a directory.",
        discussion: "Example:\n  tandem docs docs/reference")

    @Argument(help: "The directory to write into.")
    var directory: String = "docs/reference"

    @OptionGroup var definitions: DefinitionOptions

    func run() throws {
        let base = URL(fileURLWithPath: directory)
        for (path, content) in ReferenceManual(registry: try definitions.registry()).files() {
            let url = base.appendingPathComponent(path)
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(content.utf8).write(to: url, options: .atomic)
            } catch {
                throw CLIFailure("cannot write the reference manual to \(url.deletingLastPathComponent().path): \(CLIFailure.reason(error))")
            }
        }
        Output.standardError("tandem: wrote the reference manual to \(directory)\n")
    }
}
