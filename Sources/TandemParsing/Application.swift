import TandemModel

/// One parsed document: the file it came from and its root node, for placing diagnostics.
public struct SourceDocument: Sendable {
    public var file: String
    public var root: YAMLNode

    public init(file: String, root: YAMLNode) {
        self.file = file
        self.root = root
    }
}

/// A `core.oam.dev/v1beta1` Application whose envelope (metadata, component and trait lists)
/// has been checked; component and trait properties are still the YAML as written, to be
/// checked against the schema of their type.
public struct Application: Sendable {
    public struct Component: Sendable {
        public var name: String
        public var type: String
        public var properties: YAMLNode?
        public var traits: [Trait]
        public var dependsOn: [String]
        /// `components[index]` in the document.
        public var path: FieldPath
    }

    public struct Trait: Sendable {
        public var type: String
        public var properties: YAMLNode?
        /// `components[i].traits[j]` in the document.
        public var path: FieldPath
    }

    public var name: String
    public var namespace: String?
    public var labels: [(key: String, value: String)]
    public var annotations: [(key: String, value: String)]
    public var components: [Component]
    public var source: SourceDocument
    /// Whether the envelope passed its checks. Components of an invalid envelope are still
    /// checked against their schemas, but not rendered.
    public var isValid: Bool
}
