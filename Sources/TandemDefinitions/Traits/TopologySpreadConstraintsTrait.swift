import KubeModel
import TandemJSON
import TandemModel

/// `topologyspreadconstraints`: how evenly the pods spread over zones, nodes or other domains.
public struct TopologySpreadConstraintsTrait: TraitDefinition {
    public let name = "topologyspreadconstraints"
    public let description = "Spreads the pods evenly over topology domains such as zones or nodes."
    public let appliesTo = TraitTarget.podTemplate

    public init() {}

    public let parameters = Schema.object("Parameters of the topologyspreadconstraints trait.", [
        .required("constraints", .array(of: .object("A spread constraint.", [
            .required("maxSkew", .integer("How unevenly the pods may spread: the most pods one domain may have above another.", range: 1...Int(Int32.max))),
            .required("topologyKey", .string("The node label whose values are the domains, such as topology.kubernetes.io/zone.", format: .labelKey)),
            .optional("whenUnsatisfiable", .oneOf(["DoNotSchedule", "ScheduleAnyway"], "What to do with a pod that would break the constraint.", default: "DoNotSchedule")),
            .required("labelSelector", AffinityTrait.labelSelector.described("The pods counted.")),
            .optional("minDomains", .integer("The fewest domains to count, when there are fewer eligible ones (only with DoNotSchedule).", range: 1...Int(Int32.max))),
            .optional("matchLabelKeys", .array(of: .string(format: .labelKey), "Pod labels whose values also select the pods counted.")),
            .optional("nodeAffinityPolicy", .oneOf(["Honor", "Ignore"], "Whether the pod's node affinity limits the domains counted (default Honor).")),
            .optional("nodeTaintsPolicy", .oneOf(["Honor", "Ignore"], "Whether node taints limit the domains counted (default Ignore).")),
        ], checks: [{ constraint, scope in
            if constraint["minDomains"] != nil, constraint["whenUnsatisfiable"]?.string == "ScheduleAnyway" {
                scope.error("minDomains applies only with whenUnsatisfiable: DoNotSchedule", at: ["minDomains"], code: .conflictingProperties,
                            hint: "Kubernetes refuses it with ScheduleAnyway: remove minDomains, or use DoNotSchedule")
            }
        }]), "The constraints.", minItems: 1)),
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
                - type: topologyspreadconstraints
                  properties:
                    constraints:
                      - maxSkew: 1
                        topologyKey: topology.kubernetes.io/zone
                        labelSelector:
                          matchLabels: {app.oam.dev/component: server}

        """

    public func apply(_ properties: Parameters, to component: inout ComponentDraft, context: RenderContext) {
        // KubeVela's order of the fields.
        let order = ["maxSkew", "topologyKey", "whenUnsatisfiable", "labelSelector", "nodeAffinityPolicy", "nodeTaintsPolicy", "minDomains", "matchLabelKeys"]
        let constraints: [JSONValue] = properties.list("constraints").map { constraint in
            .object(JSONObject(order.compactMap { key in constraint[key].map { JSONObject.Member(key: key, value: $0) } }))
        }
        component.editPodSpec { pod in
            pod.json["topologySpreadConstraints"] = .array((pod.json["topologySpreadConstraints"]?.array ?? []) + constraints)
        }
    }
}
