import Foundation
import KubeClient
import KubeModel
import TandemDeploy
import TandemRendering

/// An application made ready for the cluster: its namespace, its plan, its ApplySet parent.
struct ApplicationTarget {
    var plan: DeployPlan
    var parent: SecretParent

    var namespace: String { plan.namespace }
    var name: String { plan.application.name }

    /// The namespace is the Application's own, else `-n`, else the context's, else `default`.
    static func namespace(of application: RenderedApplication, flag: String?, connection: ClusterConnection) -> String {
        application.namespace ?? flag ?? connection.namespace ?? "default"
    }

    /// Looks up every kind the application uses (is it served, is it namespaced) and checks
    /// that its namespace exists; refuses with every problem at once before anything is sent.
    static func prepare(_ application: RenderedApplication, session: ClusterSession, namespaceFlag: String?,
                        createNamespace: Bool, dryRun: Bool) async throws -> ApplicationTarget {
        let client = session.client
        let namespace = Self.namespace(of: application, flag: namespaceFlag, connection: session.connection)
        if try await ControllerManagedApplication.find(application.name, namespace: namespace, client: client) != nil {
            throw ControllerManagedApplication.refusal(application.name, namespace: namespace)
        }
        let definitions = Set(application.objects.filter { $0.object.gvk.groupKind == GroupVersionKind.customResourceDefinition.groupKind }
            .compactMap { object -> GroupKind? in
                guard let group = object.object.json[path: ["spec", "group"]]?.string,
                      let kind = object.object.json[path: ["spec", "names", "kind"]]?.string else { return nil }
                return GroupKind(group: group, kind: kind)
            })
        var scopes: [GroupKind: Bool] = [:]
        var problems: [String] = []
        for object in application.objects where scopes[object.object.gvk.groupKind] == nil {
            let gvk = object.object.gvk
            do {
                scopes[gvk.groupKind] = try await client.resource(for: gvk).namespaced
            } catch KubeError.configuration(let message) {
                if definitions.contains(gvk.groupKind) {
                    scopes[gvk.groupKind] = true  // installed by this application; namespaced unless it says otherwise
                } else {
                    problems.append("\(object.origin.description) (\(object.reference.kubectlName)): \(message)")
                }
            }
        }
        if !problems.isEmpty {
            throw CLIFailure("application \(application.name) cannot be deployed to this cluster:\n  " + problems.joined(separator: "\n  "))
        }
        let set = ApplySet(parent: ApplySet.commandLineParent(application: application.name, namespace: namespace))
        let plan = DeployPlan(application: application, namespace: namespace, applySet: set) {
            scopes[$0] ?? (ResourceScope.builtIn($0) == .namespaced)
        }
        let ownNamespace = plan.items.contains { $0.reference.gvk == .namespace && $0.reference.name == namespace }
        if !ownNamespace, try await client.get(ObjectReference(gvk: .namespace, namespace: nil, name: namespace)) == nil {
            guard createNamespace else {
                throw CLIFailure("the namespace \(namespace) does not exist; create it (kubectl create namespace \(namespace)) "
                    + "or pass --create-namespace")
            }
            try await client.dryRunning(dryRun).apply(KubeObject(.namespace, name: namespace))
        }
        return ApplicationTarget(plan: plan, parent: SecretParent(application: application.name, namespace: namespace,
                                                                  tooling: "\(ApplySet.toolName)/v\(TandemCommand.version)"))
    }
}
