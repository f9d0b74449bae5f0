import Foundation
import Synchronization
import TandemCUE
import TandemJSON
import TandemModel
import TandemParsing

/// Reads KubeVela X-Definitions in both forms their authors write: the `vela def` `.cue` file
/// (a top-level block named after the definition, and a top-level `template:`) and the
/// Kubernetes object (`ComponentDefinition`, ... of `core.oam.dev/v1beta1`, YAML or JSON, with
/// `spec.schematic.cue.template`). A broken definition is an error located in its own file.
public struct DefinitionLoader: Sendable {
    public var limits: InputLimits

    public init(limits: InputLimits = .default) {
        self.limits = limits
    }

    /// The packages a template may import: those TandemCUE provides.
    public static let availablePackages: Set<String> = [
        "strings", "strconv", "list", "math", "regexp", "encoding/json", "encoding/yaml", "encoding/base64", "path", "struct",
    ]

    /// Parsed definitions by file name and content: a file read again unchanged is not parsed again.
    private static let cache = Mutex<[String: Loaded]>([:])

    public typealias Loaded = (definitions: [CUEDefinitionSource], problems: [Diagnostic])

    /// Every definition in `paths` (files, or directories of `.cue`, `.yaml`, `.yml` and `.json`
    /// files), in order, and the problems found.
    public func load(paths: [String]) -> Loaded {
        var definitions: [CUEDefinitionSource] = []
        var problems: [Diagnostic] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                problems.append(Diagnostic(.error, code: .unreadableFile, "no such definition file or directory",
                                           location: SourceLocation(file: path)))
                continue
            }
            let files = isDirectory.boolValue ? Self.definitionFiles(in: path) : [path]
            if files.isEmpty {
                problems.append(Diagnostic(.error, code: .unreadableFile, "the directory holds no .cue, .yaml, .yml or .json files",
                                           location: SourceLocation(file: path)))
            }
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else {
                    problems.append(Diagnostic(.error, code: .unreadableFile, "cannot be read", location: SourceLocation(file: file)))
                    continue
                }
                let loaded = load(bytes: Array(data), file: file)
                definitions += loaded.definitions
                problems += loaded.problems
            }
        }
        return (definitions, problems)
    }

    /// The definitions in one file's bytes; `.cue` files are `vela def` files, others objects.
    public func load(bytes: [UInt8], file: String) -> Loaded {
        guard bytes.count <= limits.maxBytes else {
            return ([], [Diagnostic(.error, code: .inputTooLarge, "the file is larger than \(limits.maxBytes) bytes",
                                    location: SourceLocation(file: file))])
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let key = file + "\u{0}" + text
        if let cached = Self.cache.withLock({ $0[key] }) { return cached }
        let loaded = file.hasSuffix(".cue") ? loadCUE(text, file: file) : loadObjects(bytes, file: file)
        Self.cache.withLock { $0[key] = loaded }
        return loaded
    }

    static func definitionFiles(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        return names.filter { name in [".cue", ".yaml", ".yml", ".json"].contains { name.hasSuffix($0) } }.sorted().map { base + $0 }
    }

    // MARK: - vela def files

    private func loadCUE(_ text: String, file: String) -> Loaded {
        let parsed: CUEFile
        do {
            parsed = try CUEFile.parse(source: text, file: file, limits: cueLimits)
        } catch {
            return ([], error.errors.map { Self.diagnostic($0.message, at: $0.position, file: file) })
        }
        let fields = parsed.topLevelFields
        guard let template = parsed.file(ofField: "template") else {
            let position = fields.first { $0.name == "template" }?.position
            let message = position == nil ? "a definition file needs a top-level template: { ... }" : "template must be a struct { ... }"
            return ([], [Self.diagnostic(message, at: position ?? .none, file: file)])
        }
        let headers = fields.filter { $0.name != "template" && !$0.name.hasPrefix("_") && !$0.name.hasPrefix("#") }
        guard headers.count == 1, let header = headers.first else {
            let message = headers.isEmpty
                ? "a definition file needs a top-level block named after the definition, with its type (as vela def init writes it)"
                : "a definition file holds one definition; found the blocks \(headers.map(\.name).joined(separator: ", "))"
            return ([], [Self.diagnostic(message, at: headers.dropFirst().first?.position ?? .none, file: file)])
        }
        let context = CUEContext(limits: cueLimits)
        let value = context.evaluate([parsed])
        guard let block = value.lookup([header.name]) else {
            return ([], [Self.diagnostic("the definition's block cannot be read", at: header.position, file: file)])
        }
        let json: JSONValue
        do {
            json = try block.export()
        } catch {
            return ([], [Self.diagnostic(error.message, at: error.position == .none ? header.position : error.position, file: file)])
        }
        guard let kindName = json["type"]?.string, let kind = DefinitionKind(rawValue: kindName) else {
            let position = block.fields.first { $0.name == "type" }?.position ?? header.position
            return ([], [Self.diagnostic("type must be component, trait, policy or workflow-step", at: position, file: file)])
        }
        if let problem = importProblem(parsed, kind: kind, locate: { SourceLocation(file: file, line: $0.line, column: $0.column) }) {
            return ([], [problem])
        }
        if let problem = Self.providerProblem(name: header.name, kind: kind) {
            return ([], [Self.diagnostic(problem, at: header.position, file: file)])
        }
        let definition = CUEDefinitionSource(
            name: header.name, kind: kind, description: json["description"]?.string ?? "",
            attributes: json["attributes"]?.object ?? JSONObject(), template: template, file: file,
            templateText: TemplateText.extract(from: text, templateLine: fields.first { $0.name == "template" }?.position.line ?? 0) ?? "")
        return ([definition], [])
    }

    // MARK: - Kubernetes objects

    private func loadObjects(_ bytes: [UInt8], file: String) -> Loaded {
        let (documents, readProblems) = YAMLReader(limits: limits).read(bytes, file: file)
        var definitions: [CUEDefinitionSource] = []
        var problems = readProblems
        for document in documents where document.json != .null {
            let source = document.source
            func error(_ message: String, at path: FieldPath) -> Diagnostic {
                Diagnostic(.error, code: .invalidValue, message, path: path,
                           location: SourceLocation(file: file, position: source.position(of: path)))
            }
            let json = document.json
            guard let kindName = json["kind"]?.string, let kind = DefinitionKind(objectKind: kindName) else {
                problems.append(error("not a KubeVela definition: kind must be ComponentDefinition, TraitDefinition, PolicyDefinition or WorkflowStepDefinition", at: ["kind"]))
                continue
            }
            guard json["apiVersion"]?.string == "core.oam.dev/v1beta1" else {
                problems.append(error("apiVersion must be core.oam.dev/v1beta1", at: ["apiVersion"]))
                continue
            }
            guard let name = json[path: ["metadata", "name"]]?.string, !name.isEmpty else {
                problems.append(error("the definition needs metadata.name", at: ["metadata"]))
                continue
            }
            guard let templatePath = Optional(FieldPath(["spec", "schematic", "cue", "template"])),
                  let text = json[path: ["spec", "schematic", "cue", "template"]]?.string else {
                let other = json[path: ["spec", "schematic"]]?.object?.keys.first { $0 != "cue" }
                problems.append(error(other.map { "the \($0) schematic is not supported: Tandem runs CUE templates (spec.schematic.cue.template)" }
                                      ?? "the definition needs spec.schematic.cue.template", at: other == nil ? ["spec"] : ["spec", "schematic"]))
                continue
            }
            let offset = Self.templateOffset(source: source, path: templatePath, bytes: bytes)
            let locate = { (position: CUEPosition) in
                SourceLocation(file: file, line: position.line + offset.line, column: position.column + offset.column)
            }
            let template: CUEFile
            do {
                template = try CUEFile.parse(source: text, file: file, limits: cueLimits)
            } catch {
                problems += error.errors.map { Diagnostic(.error, code: .cueError, $0.message, location: locate($0.position)) }
                continue
            }
            if let problem = importProblem(template, kind: kind, locate: locate) {
                problems.append(problem)
                continue
            }
            if let problem = Self.providerProblem(name: name, kind: kind) {
                problems.append(error(problem, at: ["metadata", "name"]))
                continue
            }
            var attributes = json["spec"]?.object ?? JSONObject()
            attributes["schematic"] = nil
            let description = json[path: ["metadata", "annotations", "definition.oam.dev/description"]]?.string ?? ""
            definitions.append(CUEDefinitionSource(name: name, kind: kind, description: description, attributes: attributes,
                                                   template: template, file: file, templateOffset: offset, templateText: text))
        }
        return (definitions, problems)
    }

    /// How far the template's text is from the file's start: a block scalar (`template: |`)
    /// starts on the next line, indented; other strings are located at their start.
    static func templateOffset(source: SourceMap, path: FieldPath, bytes: [UInt8]) -> (line: Int, column: Int) {
        let start = source.position(of: path)
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard start.line >= 1, start.line <= lines.count else { return (start.line - 1, start.column - 1) }
        let line = lines[start.line - 1]
        let column = start.column - 1
        guard column >= 0, column < line.count, [UInt8(ascii: "|"), UInt8(ascii: ">")].contains(line[line.startIndex + column]) else {
            return (start.line - 1, start.column)  // a quoted or JSON string: past the opening quote
        }
        // The block's indentation is that of its first line with text.
        for next in lines.dropFirst(start.line) {
            let indent = next.prefix { $0 == UInt8(ascii: " ") }.count
            if indent < next.count { return (start.line, indent) }
        }
        return (start.line, 0)
    }

    // MARK: - Shared

    /// KubeVela handles some definitions in Go, by name, beside their template: `ref-objects`
    /// fetches the objects it names from the cluster.
    static func providerProblem(name: String, kind: DefinitionKind) -> String? {
        guard kind == .component, name == "ref-objects" else { return nil }
        return "ref-objects needs KubeVela's ref-objects provider (it reads the objects it names from the cluster), which Tandem does not run; the built-in k8s-objects takes objects written out"
    }

    var cueLimits: CUELimits {
        CUELimits(maxDepth: max(limits.maxDepth * 2, 200))
    }

    /// A template that imports a package Tandem does not provide is refused, naming the package.
    /// A workflow step's template may import KubeVela's providers (`vela/kube`, `vela/op`, ...):
    /// those Tandem runs run, and reaching an action of another refuses the step then, naming it.
    private func importProblem(_ file: CUEFile, kind: DefinitionKind, locate: (CUEPosition) -> SourceLocation) -> Diagnostic? {
        let allowed = { (path: String) in
            Self.availablePackages.contains(path) || (kind == .workflowStep && path.hasPrefix("vela/"))
        }
        guard let missing = file.imports.first(where: { !allowed($0.path) }) else { return nil }
        let what = missing.path.hasPrefix("vela/")
            ? "KubeVela's \(missing.path) provider, which only workflow steps may use" : "a package Tandem does not provide"
        return Diagnostic(.error, code: .unsupportedFeature, "the template imports \"\(missing.path)\": \(what)",
                          location: locate(missing.position),
                          hint: "Tandem provides \(Self.availablePackages.sorted().joined(separator: ", "))"
                              + (kind == .workflowStep ? "; workflow steps also \(WorkflowProviderPackages.supported.sorted().joined(separator: ", "))" : ""))
    }

    static func diagnostic(_ message: String, at position: CUEPosition, file: String) -> Diagnostic {
        Diagnostic(.error, code: .cueError, message,
                   location: position.line > 0 ? SourceLocation(file: file, line: position.line, column: position.column) : SourceLocation(file: file))
    }
}

extension DiagnosticCode {
    /// A CUE definition that does not parse or evaluate.
    public static let cueError: DiagnosticCode = "cue-error"
}
