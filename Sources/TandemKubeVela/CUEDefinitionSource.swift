import TandemCUE
import TandemDefinitions
import TandemJSON
import TandemModel

/// A definition as loaded from a file: its name, kind, what KubeVela calls its attributes, and
/// its CUE template, parsed once and shared by every evaluation.
public struct CUEDefinitionSource: Sendable {
    public var name: String
    public var kind: DefinitionKind
    public var description: String
    /// The spec's settings besides the template: `workload`, `appliesToWorkloads`,
    /// `conflictsWith`, `podDisruptive`, ... as KubeVela names them.
    public var attributes: JSONObject
    public var template: CUEFile
    /// The file the definition was read from.
    public var file: String
    /// Where the template's first line sits in `file`: a template held in a YAML block scalar
    /// starts below and to the right of the file's first column.
    public var templateOffset: (line: Int, column: Int)
    /// The template as text, as a definition object holds it (`spec.schematic.cue.template`).
    public var templateText: String
    /// `attributes.status`'s programs (`healthPolicy`, `customStatus`, `details`) by key, each
    /// located in `file`: found once when the definition is loaded, not per application.
    public private(set) var statusPrograms: [String: HealthPolicy.Program] = [:]

    public init(name: String, kind: DefinitionKind, description: String, attributes: JSONObject, template: CUEFile,
                file: String, templateOffset: (line: Int, column: Int) = (0, 0), templateText: String = "") {
        self.templateText = templateText
        self.name = name
        self.kind = kind
        self.description = description
        self.attributes = attributes
        self.template = template
        self.file = file
        self.templateOffset = templateOffset
        statusPrograms = Self.statusPrograms(attributes["status"]?.object ?? JSONObject(), file: file)
    }

    /// Where a position of the template is in the definition's file.
    public func location(of position: CUEPosition) -> SourceLocation {
        guard position.line > 0 else { return SourceLocation(file: file) }
        guard position.file == template.name else {
            return SourceLocation(file: position.file.isEmpty ? file : position.file, line: position.line, column: position.column)
        }
        return SourceLocation(file: file, line: position.line + templateOffset.line, column: position.column + templateOffset.column)
    }

    /// `attributes[key]` as a list of strings (empty when absent).
    func stringList(_ key: String) -> [String] {
        attributes[key]?.strings ?? []
    }
}
