import KubeModel
import TandemJSON
import TandemModel

/// `affinity`: where the pods may and should be scheduled, and which taints they tolerate.
public struct AffinityTrait: TraitDefinition {
    public let name = "affinity"
    public let description = "Sets pod affinity and anti-affinity, node affinity and tolerations."
    public let appliesTo = TraitTarget.podTemplate

    public init() {}

    static let labelSelector = Schema.object("Selects pods by labels.", [
        .optional("matchLabels", .map(of: .string(), "Labels the pods must have.")),
        .optional("matchExpressions", .array(of: .object("A label requirement.", [
            .required("key", .string(format: .nonEmpty)),
            .optional("operator", .oneOf(["In", "NotIn", "Exists", "DoesNotExist"], "How the values match.", default: "In")),
            .optional("values", .array(of: .string())),
        ]), "Label requirements.")),
    ])

    static let podAffinityTerm = Schema.object("Pods to be near (or away from), by topology.", [
        .optional("labelSelector", labelSelector),
        .optional("namespace", .string("KubeVela's form of one namespace of those pods: rendered as namespaces: [namespace].",
                                       format: .dns1123Label)),
        .optional("namespaces", .array(of: .string(format: .dns1123Label), "Namespaces of those pods (default: this one).")),
        .optional("namespaceSelector", labelSelector.described("Namespaces of those pods, by labels.")),
        .required("topologyKey", .string("Node label that defines \"near\", such as kubernetes.io/hostname.", format: .nonEmpty)),
    ], checks: [{ term, scope in
        guard let namespace = term["namespace"]?.string else { return }
        scope.warning("namespace is KubeVela's field, not Kubernetes'; it is rendered as namespaces: [\(namespace)]",
                      at: ["namespace"], code: .translatedParameter,
                      hint: term["namespaces"] == nil ? "write namespaces: [\(namespace)] instead" : "add \(namespace) to namespaces instead")
    }])

    static let weightedPodTerm = Schema.object("A preference with its weight.", [
        .required("weight", .integer("Weight from 1 to 100.", range: 1...100)),
        .required("podAffinityTerm", podAffinityTerm),
    ])

    static let podRules = Schema.object("Rules about other pods.", [
        .optional("required", .array(of: podAffinityTerm, "Terms every placement must meet.")),
        .optional("preferred", .array(of: weightedPodTerm, "Terms placement should meet.")),
    ])

    static let nodeSelectorTerm = Schema.object("Node requirements, all of which must hold.", [
        .optional("matchExpressions", .array(of: nodeRequirement, "Requirements on node labels.")),
        .optional("matchFields", .array(of: nodeRequirement, "Requirements on node fields.")),
    ])

    static let nodeRequirement = Schema.object("A requirement on a node label or field.", [
        .required("key", .string(format: .nonEmpty)),
        .optional("operator", .oneOf(["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"], "How the values match.", default: "In")),
        .optional("values", .array(of: .string())),
    ])

    public let parameters = Schema.object("Parameters of the affinity trait.", [
        .optional("podAffinity", podRules.described("Schedule near pods that match.")),
        .optional("podAntiAffinity", podRules.described("Schedule away from pods that match.")),
        .optional("nodeAffinity", .object("Rules about nodes.", [
            .optional("required", .object("Terms of which a node must meet one.", [
                .required("nodeSelectorTerms", .array(of: nodeSelectorTerm, "The terms.", minItems: 1)),
            ])),
            .optional("preferred", .array(of: .object("A preference with its weight.", [
                .required("weight", .integer("Weight from 1 to 100.", range: 1...100)),
                .required("preference", nodeSelectorTerm),
            ]), "Terms a node should meet.")),
        ])),
        .optional("tolerations", .array(of: .object("A taint the pods tolerate.", [
            .optional("key", .string("Taint key (empty with Exists: every taint).")),
            .optional("operator", .oneOf(["Equal", "Exists"], "How the value matches.", default: "Equal")),
            .optional("value", .string("Taint value, for Equal.")),
            .optional("effect", .oneOf(["NoSchedule", "PreferNoSchedule", "NoExecute"], "Taint effect (default: any).")),
            .optional("tolerationSeconds", .integer("For NoExecute: seconds to stay once tainted.", range: 0...Int.max)),
        ]), "Taints to tolerate.")),
    ])

    public let example = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: api
        spec:
          components:
            - name: server
              type: webservice
              properties:
                image: example/api:3
              traits:
                - type: affinity
                  properties:
                    podAntiAffinity:
                      preferred:
                        - weight: 100
                          podAffinityTerm:
                            labelSelector:
                              matchLabels: {app.oam.dev/component: server}
                            topologyKey: kubernetes.io/hostname
                    tolerations:
                      - {key: dedicated, operator: Equal, value: api, effect: NoSchedule}

        """

    public func apply(_ properties: Parameters, to component: inout ComponentDraft, context: RenderContext) {
        var affinity = JSONObject()
        for kind in ["podAffinity", "podAntiAffinity", "nodeAffinity"] {
            guard let rules = properties[kind] else { continue }
            var rendered = JSONObject()
            if let required = rules["required"] {
                // A list of pod terms; nodeAffinity's is an object of node selector terms, kept as it is.
                rendered.append("requiredDuringSchedulingIgnoredDuringExecution", required.array.map { .array($0.map(Self.kubernetesTerm)) } ?? required)
            }
            if let preferred = rules["preferred"]?.array {
                rendered.append("preferredDuringSchedulingIgnoredDuringExecution", .array(preferred.map { preference in
                    guard var weighted = preference.object, let term = weighted["podAffinityTerm"] else { return preference }
                    weighted["podAffinityTerm"] = Self.kubernetesTerm(term)
                    return .object(weighted)
                }))
            }
            affinity.append(kind, .object(rendered))
        }
        component.editPodSpec { pod in
            if !affinity.isEmpty { pod.json["affinity"] = .object(affinity) }
            if let tolerations = properties["tolerations"]?.array {
                pod.json["tolerations"] = .array((pod.json["tolerations"]?.array ?? []) + tolerations)
            }
        }
    }

    /// A pod affinity term as Kubernetes takes it: KubeVela's `namespace` joins `namespaces`
    /// (Kubernetes has no `namespace` field there, and kubectl refuses it).
    static func kubernetesTerm(_ term: JSONValue) -> JSONValue {
        guard let object = term.object, let namespace = object["namespace"] else { return term }
        var namespaces = object["namespaces"]?.array ?? []
        if !namespaces.contains(namespace) { namespaces.append(namespace) }
        var rendered = JSONObject()
        for member in object.members where member.key != "namespaces" {
            // In the place of `namespace`, as KubeVela writes it.
            if member.key == "namespace" { rendered.append("namespaces", .array(namespaces)) } else { rendered.append(member.key, member.value) }
        }
        return .object(rendered)
    }
}
