import TandemDefinitions
import TandemJSON
import TandemModel

/// Works out the deliveries of a valid Application: the workflow's steps in order — each
/// `deploy` step once per place its topology policies name, with its override policies applied
/// — or, without a workflow, the deploy steps KubeVela makes up for topology and override
/// policies, or else every component once.
struct DeliveryPlanner {
    let validator: ApplicationValidator
    let envelope: ApplicationEnvelope
    let application: Application
    let root: DiagnosticScope

    /// The deliveries; nil when neither a workflow nor a policy says where the components go.
    func plan() -> [Delivery]? {
        warnAboutUnlistedReplication()
        var deliveries: [Delivery] = []
        if !envelope.workflow.isEmpty {
            let errorsBefore = root.log.errorCount
            for step in application.workflow.flatMap(\.flattened) { deliveries += plan(step) }
            if root.log.errorCount == errorsBefore { warnAboutUndelivered(deliveries) }
        } else {
            let topologies = application.policies.filter { $0.type == TopologyPolicy().name }
            let overrides = application.policies.filter { $0.type == OverridePolicy().name }
            if !topologies.isEmpty {
                for topology in topologies {
                    deliveries += deploy(environment: topology.name, policies: [topology] + overrides, step: nil)
                }
            } else if !overrides.isEmpty {
                deliveries += deploy(environment: nil, policies: overrides, step: nil)
            } else {
                return nil
            }
        }
        return deliveries
    }

    private func plan(_ step: Application.WorkflowStep) -> [Delivery] {
        let scope = root.scoped(step.path)
        switch step.type {
        case DeployStep().name:
            var policies: [Application.Policy] = []
            var replications: [Application.Policy] = []
            for (index, name) in (step.properties["policies"]?.strings ?? []).enumerated() {
                let at: FieldPath = ["properties", "policies", .index(index)]
                guard let policy = application.policies.first(where: { $0.name == name }) else {
                    // A policy that is there but invalid has been reported already.
                    if envelope.policies.contains(where: { $0.name == name }) { continue }
                    let suggestion = Suggestion.closest(to: name, among: envelope.policies.map(\.name))
                    scope.error("no policy is named '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""), at: at,
                                code: .unknownReference, hint: "the deploy step takes the names of topology and override policies in spec.policies")
                    continue
                }
                if policy.type == ReplicationPolicy().name {
                    replications.append(policy)
                } else if ![TopologyPolicy().name, OverridePolicy().name].contains(policy.type) {
                    scope.error("'\(name)' is a \(policy.type) policy; a deploy step takes topology and override policies", at: at,
                                code: .misplacedPolicy, hint: "remove it here: a \(policy.type) policy applies to the whole application already")
                } else {
                    policies.append(policy)
                }
            }
            return deploy(environment: step.name, policies: policies, step: step.path).map { delivery in
                var delivery = delivery
                delivery.components = Replication.replicate(delivery.components, by: replications, root)
                return delivery
            }
        case ApplyComponentStep().name:
            let name = step.properties.text("component")
            guard let component = application.components.first(where: { $0.name == name }) else {
                let suggestion = Suggestion.closest(to: name, among: application.components.map(\.name))
                scope.error("no component is named '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
                            at: ["properties", "component"], code: .unknownReference)
                return []
            }
            guard checkCluster(step.properties.text("cluster"), scope, at: ["properties", "cluster"]) else { return [] }
            return [Delivery(environment: nil, namespace: step.properties["namespace"]?.string, components: [component], step: step.path)]
        case ApplyApplicationStep().name:
            return [Delivery(environment: nil, namespace: nil, components: application.components, step: step.path)]
        default:
            return []  // step-group's own entry, and steps that take effect at deploy time
        }
    }

    /// The deliveries of one deploy step: one per place its topologies name (the Application's
    /// namespace without a topology), of the components its overrides select and change.
    private func deploy(environment: String?, policies: [Application.Policy], step: FieldPath?) -> [Delivery] {
        var namespaces: [String?] = []
        for topology in policies where topology.type == TopologyPolicy().name {
            guard placesLocally(topology) else { continue }
            namespaces.append(topology.properties["namespace"]?.string)
        }
        if !policies.contains(where: { $0.type == TopologyPolicy().name }) { namespaces = [nil] }
        guard !namespaces.isEmpty, let components = overridden(policies.filter { $0.type == OverridePolicy().name }) else { return [] }
        return namespaces.map { Delivery(environment: environment, namespace: $0, components: components, step: step) }
    }

    /// Whether the topology delivers to the one cluster Tandem deploys to; reports any other.
    private func placesLocally(_ topology: Application.Policy) -> Bool {
        let scope = root.scoped(topology.path / "properties")
        for key in ["clusterLabelSelector", "clusterSelector"] where topology.properties[key] != nil {
            scope.error("the topology selects clusters by labels; multi-cluster delivery is not supported yet", at: [.key(key)],
                        code: .multiCluster, hint: "Tandem deploys to the cluster of the current kubeconfig context: write clusters: [local]")
            return false
        }
        for (index, cluster) in (topology.properties["clusters"]?.strings ?? []).enumerated() {
            guard checkCluster(cluster, scope, at: ["clusters", .index(index)]) else { return false }
        }
        return true
    }

    private func checkCluster(_ cluster: String, _ scope: DiagnosticScope, at path: FieldPath) -> Bool {
        guard !cluster.isEmpty, cluster != TopologyPolicy.localCluster else { return true }
        scope.error("cluster '\(cluster)' is not the local cluster; multi-cluster delivery is not supported yet", at: path, code: .multiCluster,
                    hint: "Tandem deploys to the cluster of the current kubeconfig context, which KubeVela calls local")
        return false
    }

    /// The components the overrides select, each changed by them and validated again; nil when
    /// a change makes one invalid (reported at the override).
    private func overridden(_ overrides: [Application.Policy]) -> [Application.Component]? {
        var components = envelope.components
        var changedBy: [String: FieldPath] = [:]
        var valid = true
        for policy in overrides {
            for (index, patch) in policy.properties.list("components").enumerated() {
                let at = policy.path / "properties" / "components" / index
                if let name = patch["name"]?.string, !components.contains(where: { $0.name == name }) {
                    let suggestion = Suggestion.closest(to: name, among: components.map(\.name))
                    root.error("no component is named '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""), at: at / "name",
                               code: .unknownReference)
                    valid = false
                    continue
                }
                for position in components.indices where OverridePatch.selects(patch, components[position]) {
                    OverridePatch.apply(patch, to: &components[position])
                    changedBy[components[position].name] = changedBy[components[position].name] ?? at
                }
            }
            if let selector = policy.properties["selector"]?.strings { components.removeAll { !selector.contains($0.name) } }
        }
        var result: [Application.Component] = []
        for component in components {
            guard let at = changedBy[component.name] else {
                if let validated = application.components.first(where: { $0.name == component.name }) { result.append(validated) }
                continue
            }
            guard let validated = revalidate(component, changedAt: at) else {
                valid = false
                continue
            }
            result.append(validated)
        }
        return valid ? result : nil
    }

    /// A component changed by an override, validated again; its problems are reported at the override.
    private func revalidate(_ component: ApplicationEnvelope.Component, changedAt override: FieldPath) -> Application.Component? {
        let sandbox = DiagnosticLog(limit: root.log.limit)
        let validated = validator.validate(component, DiagnosticScope(log: sandbox, source: nil))
        for problem in sandbox.diagnostics where problem.isError {
            root.error("with this override, component '\(component.name)' is invalid: \(problem.path.map { "\($0): " } ?? "")\(problem.message)",
                       at: override, code: problem.code, hint: problem.hint)
        }
        return sandbox.hasErrors ? nil : validated
    }

    /// A replication policy acts only in the deploy steps that list it; KubeVela ignores it
    /// otherwise, without a word.
    private func warnAboutUnlistedReplication() {
        let listed = Set(application.workflow.flatMap(\.flattened).filter { $0.type == DeployStep().name }
            .flatMap { $0.properties["policies"]?.strings ?? [] })
        for policy in application.policies where policy.type == ReplicationPolicy().name && !listed.contains(policy.name) {
            root.warning("no deploy step lists the replication policy '\(policy.name)': it replicates nothing", at: policy.path / "name",
                         code: .unusedPolicy, hint: "name it in the policies of the deploy steps that should deliver a copy per key")
        }
    }

    /// Components no step deploys: KubeVela leaves them out too, which is easily missed.
    private func warnAboutUndelivered(_ deliveries: [Delivery]) {
        let delivered = Set(deliveries.flatMap { $0.components.map(\.name) })
        for component in application.components where !delivered.contains(component.name) {
            root.warning("no workflow step deploys component '\(component.name)'", at: component.path / "name", code: .undeliveredComponent,
                         hint: "add an apply-component or deploy step for it, or remove it")
        }
    }
}
