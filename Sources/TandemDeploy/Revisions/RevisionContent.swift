import Crypto
import TandemDefinitions
import TandemJSON
import TandemKubeVela

/// What a revision keeps: the Application as it was deployed and the custom definitions it
/// rendered with, and a digest of what decides its rendering (its spec and those definitions),
/// which tells whether a deploy is a new revision.
public struct RevisionContent: Sendable, Equatable {
    /// `apiVersion`, `kind`, `metadata` (name, namespace, labels, annotations) and `spec`.
    public var application: JSONValue
    /// Definition objects (`ComponentDefinition`, `TraitDefinition`, ...), by kind and name.
    public var definitions: [JSONValue]
    /// 16 hex digits, as KubeVela's `app.oam.dev/app-revision-hash`.
    public var digest: String

    public init(application: JSONValue, definitions: [JSONValue]) {
        self.application = application
        self.definitions = definitions.sorted { Self.sortKey($0) < Self.sortKey($1) }
        var hasher = SHA256()
        // Keys in order: the API server returns an object's keys sorted, a file as written.
        hasher.update(data: JSONWriter.compactBytes(Self.canonical(application["spec"] ?? .null)))
        for definition in self.definitions {
            hasher.update(data: [0])
            hasher.update(data: JSONWriter.compactBytes(Self.canonical(definition)))
        }
        digest = String(hasher.finalize().map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined().prefix(16))
    }

    /// The content of `application` (a document as written, or an object as the API server
    /// returns it) deployed to `namespace`, rendering with `registry`: the custom definitions of
    /// the types its spec names are kept; built-in ones belong to this version of tandem.
    public init(application: JSONValue, namespace: String, registry: DefinitionRegistry) {
        let metadata = application["metadata"]
        var kept: JSONObject = ["name": metadata?["name"] ?? "", "namespace": .string(namespace)]
        if let labels = metadata?["labels"], labels.object?.isEmpty == false { kept.append("labels", labels) }
        if var annotations = metadata?["annotations"]?.object {
            annotations["kubectl.kubernetes.io/last-applied-configuration"] = nil
            if !annotations.isEmpty { kept.append("annotations", .object(annotations)) }
        }
        let object: JSONValue = [
            "apiVersion": application["apiVersion"] ?? "core.oam.dev/v1beta1", "kind": "Application",
            "metadata": .object(kept), "spec": application["spec"] ?? .object(JSONObject()),
        ]
        let types = Self.types(in: application["spec"])
        let sources = types.components.compactMap { (registry.components[$0] as? CUEComponentDefinition)?.source }
            + types.traits.compactMap { (registry.traits[$0] as? CUETraitDefinition)?.source }
            + types.policies.compactMap { (registry.policies[$0] as? CUEPolicyDefinition)?.source }
            + types.steps.compactMap { (registry.workflowSteps[$0] as? CUEWorkflowStepDefinition)?.source }
        self.init(application: object, definitions: sources.map(DefinitionObject.json))
    }

    /// The types a spec names, each kind of definition once, in name order.
    static func types(in spec: JSONValue?) -> (components: [String], traits: [String], policies: [String], steps: [String]) {
        let components = spec?["components"]?.array ?? []
        func steps(_ list: [JSONValue]) -> [JSONValue] { list + list.flatMap { steps($0["subSteps"]?.array ?? []) } }
        func names(_ entries: [JSONValue]) -> [String] { Array(Set(entries.compactMap { $0["type"]?.string })).sorted() }
        return (names(components), names(components.flatMap { $0["traits"]?.array ?? [] }), names(spec?["policies"]?.array ?? []),
                names(steps(spec?[path: ["workflow", "steps"]]?.array ?? [])))
    }

    /// `value` with every object's keys sorted.
    static func canonical(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            return .object(JSONObject(object.sorted { $0.key < $1.key }.map { JSONObject.Member(key: $0.key, value: canonical($0.value)) }))
        case .array(let items): return .array(items.map(canonical))
        default: return value
        }
    }

    static func sortKey(_ definition: JSONValue) -> String {
        (definition["kind"]?.string ?? "") + "/" + (definition[path: ["metadata", "name"]]?.string ?? "")
    }

    /// The definitions by KubeVela's field of an ApplicationRevision's spec
    /// (`componentDefinitions`, ...), each a map from name to object.
    var definitionsByField: [(field: String, definitions: JSONObject)] {
        DefinitionKind.allCases.compactMap { kind in
            let members = definitions.filter { $0["kind"]?.string == kind.objectKind }.map {
                JSONObject.Member(key: $0[path: ["metadata", "name"]]?.string ?? "", value: $0)
            }
            return members.isEmpty ? nil : (Self.field(kind), JSONObject(members))
        }
    }

    static func field(_ kind: DefinitionKind) -> String {
        switch kind {
        case .component: "componentDefinitions"
        case .trait: "traitDefinitions"
        case .policy: "policyDefinitions"
        case .workflowStep: "workflowStepDefinitions"
        }
    }
}
