/// A stable, machine-readable name of a kind of problem, as `--diagnostics json` prints it and
/// tools match on. Every code is declared here, once.
public struct DiagnosticCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
}

extension DiagnosticCode {
    // Reading input
    public static let unreadableFile: DiagnosticCode = "unreadable-file"
    public static let inputTooLarge: DiagnosticCode = "input-too-large"
    public static let yamlSyntax: DiagnosticCode = "yaml-syntax"
    public static let yamlAlias: DiagnosticCode = "yaml-alias"
    public static let aliasExpansion: DiagnosticCode = "alias-expansion"
    public static let tooDeep: DiagnosticCode = "too-deep"
    public static let tooManyDocuments: DiagnosticCode = "too-many-documents"
    public static let valueTooLong: DiagnosticCode = "value-too-long"
    public static let duplicateKey: DiagnosticCode = "duplicate-key"
    public static let mergeKey: DiagnosticCode = "merge-key"
    public static let invalidKey: DiagnosticCode = "invalid-key"
    public static let unsupportedTag: DiagnosticCode = "unsupported-tag"
    public static let invalidTaggedValue: DiagnosticCode = "invalid-tagged-value"
    public static let emptyDocument: DiagnosticCode = "empty-document"
    public static let noApplication: DiagnosticCode = "no-application"
    public static let notAnApplication: DiagnosticCode = "not-an-application"
    public static let tooManyDiagnostics: DiagnosticCode = "too-many-diagnostics"

    // Schema validation
    public static let unknownProperty: DiagnosticCode = "unknown-property"
    public static let missingProperty: DiagnosticCode = "missing-property"
    public static let typeMismatch: DiagnosticCode = "type-mismatch"
    public static let invalidValue: DiagnosticCode = "invalid-value"
    public static let invalidFormat: DiagnosticCode = "invalid-format"
    public static let outOfRange: DiagnosticCode = "out-of-range"
    public static let integerOverflow: DiagnosticCode = "integer-overflow"
    public static let invalidNumber: DiagnosticCode = "invalid-number"
    public static let ambiguousNumber: DiagnosticCode = "ambiguous-number"
    public static let invalidQuantity: DiagnosticCode = "invalid-quantity"
    public static let invalidPort: DiagnosticCode = "invalid-port"
    public static let missingChoice: DiagnosticCode = "missing-choice"
    public static let conflictingChoice: DiagnosticCode = "conflicting-choice"
    public static let conflictingProperties: DiagnosticCode = "conflicting-properties"
    public static let tooFewItems: DiagnosticCode = "too-few-items"
    public static let tooManyItems: DiagnosticCode = "too-many-items"
    /// Two items of a list share the value that must tell them apart (a name, a port).
    public static let duplicateItem: DiagnosticCode = "duplicate-item"

    // The Application
    public static let nameTooLong: DiagnosticCode = "name-too-long"
    public static let tooManyComponents: DiagnosticCode = "too-many-components"
    public static let tooManyTraits: DiagnosticCode = "too-many-traits"
    public static let unknownComponentType: DiagnosticCode = "unknown-component-type"
    public static let unknownTraitType: DiagnosticCode = "unknown-trait-type"
    public static let unknownPolicy: DiagnosticCode = "unknown-policy"
    public static let unknownWorkflowStep: DiagnosticCode = "unknown-workflow-step"
    public static let traitNotApplicable: DiagnosticCode = "trait-not-applicable"
    public static let invalidDependency: DiagnosticCode = "invalid-dependency"
    public static let dependencyCycle: DiagnosticCode = "dependency-cycle"
    public static let duplicateApplication: DiagnosticCode = "duplicate-application"
    public static let duplicateObject: DiagnosticCode = "duplicate-object"
    public static let namespaceMismatch: DiagnosticCode = "namespace-mismatch"
    /// A parameter KubeVela calls deprecated: still rendered as KubeVela renders it.
    public static let deprecatedParameter: DiagnosticCode = "deprecated-parameter"
    /// A KubeVela parameter with no Kubernetes field of its name: rendered as the field that
    /// means the same (an affinity term's `namespace` as `namespaces`).
    public static let translatedParameter: DiagnosticCode = "translated-parameter"
    /// A policy or step that names a policy, component or step the Application does not have.
    public static let unknownReference: DiagnosticCode = "unknown-reference"
    /// A policy given to a step that does not take that kind of policy.
    public static let misplacedPolicy: DiagnosticCode = "misplaced-policy"
    /// A topology that names clusters other than the one Tandem deploys to.
    public static let multiCluster: DiagnosticCode = "multi-cluster"
    /// A KubeVela feature Tandem does not render (replication, workflow templates).
    public static let unsupportedFeature: DiagnosticCode = "unsupported-feature"
    /// A policy that takes effect only where a workflow step names it, and none does.
    public static let unusedPolicy: DiagnosticCode = "unused-policy"
    /// A replicated component whose type ignores `context.replicaKey`: its copies are alike.
    public static let replicaKeyUnused: DiagnosticCode = "replica-key-unused"
    /// A policy or step that the deploy lifecycle honours, not `render`.
    public static let deployTimeOnly: DiagnosticCode = "deploy-time-only"
    /// A component that no workflow step deploys.
    public static let undeliveredComponent: DiagnosticCode = "undelivered-component"

    // Rendering
    public static let duplicateContainer: DiagnosticCode = "duplicate-container"
    public static let unknownContainer: DiagnosticCode = "unknown-container"
    public static let duplicateVolume: DiagnosticCode = "duplicate-volume"
    public static let unknownVolume: DiagnosticCode = "unknown-volume"
    public static let invalidVolumeName: DiagnosticCode = "invalid-volume-name"
    public static let implicitVolume: DiagnosticCode = "implicit-volume"
    public static let duplicateMountPath: DiagnosticCode = "duplicate-mount-path"
    /// Two ports of one container, or of one Service, share a name.
    public static let duplicatePortName: DiagnosticCode = "duplicate-port-name"
    public static let duplicatePort: DiagnosticCode = "duplicate-port"
    /// A port that nothing listens on, or that a Service does not expose.
    public static let unknownPort: DiagnosticCode = "unknown-port"
    /// A value given that the rendered objects leave out (it has no effect there).
    public static let ignoredValue: DiagnosticCode = "ignored-value"
    /// A value so far from what anyone means that it is most likely a slip (`cpu: 500`).
    public static let unlikelyValue: DiagnosticCode = "unlikely-value"
    public static let requestAboveLimit: DiagnosticCode = "request-above-limit"
    public static let unsupportedVersion: DiagnosticCode = "unsupported-version"
    public static let conflictingTraits: DiagnosticCode = "conflicting-traits"
    public static let emptyTrait: DiagnosticCode = "empty-trait"
    public static let reservedLabel: DiagnosticCode = "reserved-label"
    public static let invalidObject: DiagnosticCode = "invalid-object"
    public static let invalidPatch: DiagnosticCode = "invalid-patch"
    public static let replacesList: DiagnosticCode = "replaces-list"
    public static let invalidThreshold: DiagnosticCode = "invalid-threshold"
    public static let invalidProfile: DiagnosticCode = "invalid-profile"
    public static let invalidPrivilege: DiagnosticCode = "invalid-privilege"
    public static let invalidPath: DiagnosticCode = "invalid-path"
    public static let invalidVariableName: DiagnosticCode = "invalid-variable-name"
    public static let missingNamespace: DiagnosticCode = "missing-namespace"
    public static let missingDomain: DiagnosticCode = "missing-domain"
    public static let noRoutes: DiagnosticCode = "no-routes"

    // Against a cluster
    /// A Secret, ConfigMap, ServiceAccount or claim (or a key of one) the pods need is missing.
    public static let missingReference: DiagnosticCode = "missing-reference"
}
