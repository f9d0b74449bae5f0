import ArgumentParser
import Foundation
import TandemDefinitions
import TandemJSON
import TandemKubeVela
import TandemModel
import TandemParsing

/// `tandem def status`: a definition's health policy, custom status and details evaluated
/// against live objects saved from a cluster, offline, for authors debugging them.
struct DefStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Evaluate a definition's health (healthPolicy, customStatus, details) against saved live objects.",
        discussion: """
            The definition's attributes.status programs see the saved workload as context.output, each \
            --outputs object as context.outputs.NAME, and the parameters (with their defaults) as parameter.

            Exit status: 0 when healthy, 1 when not healthy (or a program fails to evaluate), 2 when \
            the files or the parameters cannot be read.

            Example:
              kubectl get deployment web -o yaml > web.yaml
              kubectl get service web -o yaml > web-svc.yaml
              tandem def status my-service.cue --output web.yaml --outputs service=web-svc.yaml \\
                --parameter '{"image": "nginx:1.27", "replicas": 2}'
            """)

    @Argument(help: ArgumentHelp("The definition file (.cue, or a definition object in YAML or JSON).", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("The live workload (kubectl get ... -o yaml): context.output.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("A live object the template makes as outputs.NAME: context.outputs.NAME (repeatable).",
                               valueName: "name=file"))
    var outputs: [String] = []

    @Option(help: ArgumentHelp("The component's properties, as JSON (defaults fill the rest).", valueName: "json"))
    var parameter: String = "{}"

    @Option(help: ArgumentHelp("The component's name, context.name (default: the workload's name).", valueName: "name"))
    var name: String?

    @Option(help: ArgumentHelp("The application's name, context.appName (default: the workload's app.oam.dev/name label).",
                               valueName: "name"))
    var app: String?

    @Option(name: [.customShort("o"), .customLong("format")], help: "text or json (healthy, message and details).")
    var format: Format = .text

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func validate() throws {
        for entry in outputs where !entry.contains("=") || entry.hasPrefix("=") || entry.hasSuffix("=") {
            throw ValidationError("--outputs takes NAME=FILE, like service=web-svc.yaml (got '\(entry)')")
        }
    }

    func run() throws {
        let (definitions, problems) = DefinitionLoader().load(paths: [file])
        guard problems.isEmpty else {
            Output.printDiagnostics(problems, format: .text)
            throw ExitCode(2)
        }
        guard definitions.count == 1, let definition = definitions.first else {
            throw CLIFailure("\(file) holds \(definitions.count) definitions; give a file with exactly one")
        }
        let workload = try output.map { try Self.readObject($0, what: "--output") }
        var live: [String: JSONValue] = [:]
        var named: [HealthPolicy.Output] = []
        for entry in outputs {
            let (key, path) = (String(entry.prefix { $0 != "=" }), String(entry.drop { $0 != "=" }.dropFirst()))
            let object = try Self.readObject(path, what: "--outputs \(key)")
            live[key] = object
            named.append(HealthPolicy.Output(name: key, kind: object["kind"]?.string ?? "", objectName: object[path: ["metadata", "name"]]?.string ?? ""))
        }
        let given: JSONValue
        do {
            given = try JSONReader().read(parameter)
        } catch {
            throw CLIFailure("--parameter is not JSON: \(error)")
        }
        guard given.object != nil else { throw CLIFailure("--parameter must be a JSON object, like '{\"image\": \"nginx\"}'") }

        let componentName = name ?? workload?[path: ["metadata", "name"]]?.string ?? definition.name
        let appName = app ?? workload?[path: ["metadata", "labels", "app.oam.dev/name"]]?.string ?? componentName
        let context: JSONObject = [
            "name": .string(componentName), "appName": .string(appName),
            "namespace": .string(workload?[path: ["metadata", "namespace"]]?.string ?? "default"),
        ]
        let defaulted = definition.parameterWithDefaults(given, context: context)
        guard let parameters = defaulted.value else {
            throw CLIFailure("the parameters do not fit the \(definition.name) definition:\n  " + defaulted.problems.joined(separator: "\n  "))
        }
        let health: CustomHealth
        if let policy = definition.healthPolicy(parameters: parameters, context: context, outputs: named) {
            health = DefinitionHealth.evaluate(policy, output: workload, outputs: live)
        } else {
            health = CustomHealth(healthy: true, message: "")  // KubeVela: no healthPolicy means healthy
        }
        switch format {
        case .json:
            let details = JSONObject(health.details.map { JSONObject.Member(key: $0.key, value: .string($0.value)) })
            Output.standardOutput(JSONWriter.write(["healthy": .bool(health.healthy), "message": .string(health.message),
                                                    "details": .object(details)]))
        case .text:
            var text = "\(definition.kind.rawValue) \(definition.name) (\(componentName)): \(health.healthy ? "healthy" : "not healthy")\n"
            if !health.message.isEmpty { text += "message: \(health.message)\n" }
            if !health.details.isEmpty {
                text += "details:\n" + health.details.map { "  \($0.key): \($0.value)\n" }.joined()
            }
            Output.standardOutput(text)
        }
        if !health.healthy { throw ExitCode(1) }
    }

    /// One object from a YAML or JSON file, as kubectl saves it.
    static func readObject(_ path: String, what: String) throws -> JSONValue {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIFailure("\(what): cannot read \(path)")
        }
        let (documents, diagnostics) = YAMLReader().read(Array(data), file: path)
        if let problem = diagnostics.first(where: { $0.severity == .error }) {
            throw CLIFailure("\(what): \(path) is not YAML or JSON: \(problem.message)")
        }
        let objects = documents.map(\.json).filter { $0 != .null }
        guard objects.count == 1, let object = objects.first, object.object != nil else {
            throw CLIFailure("\(what): \(path) must hold one object (it holds \(objects.count) documents)")
        }
        return object
    }
}
