import KubeClient
import KubeModel
import TandemDeploy
import TandemJSON
import TandemKubeVela
import TandemRendering

/// What a controller-managed application owns, as `status --tree`, `--endpoints` and `--watch`
/// need it: its ApplySet (the Application object is the parent) and its inventory. The
/// controller keeps the inventory in memory only, so it is rebuilt here as the controller builds
/// it: the Application's spec rendered with the cluster's definitions. An Application that does
/// not render (a definition deleted since) is described by the set's members instead.
enum ManagedApplicationInventory {
    static func deployed(_ managed: ControllerManagedApplication, session: ClusterSession) async throws -> DeployedApplication {
        let object = managed.object
        let namespace = object.namespace ?? "default"
        let set = ApplySet(parent: object.reference)
        let record = ApplySetRecord(parent: object)
        var inventory = try await rendered(object, namespace: namespace, set: set, session: session)
        if inventory == nil {
            inventory = try await members(object.name, record: record, set: set, namespace: namespace, client: session.client)
        }
        return DeployedApplication(set: set, record: record, inventory: inventory ?? Inventory(application: object.name, components: []),
                                   namespace: namespace)
    }

    /// The inventory of the Application's spec rendered with the cluster's definitions; nil when
    /// it does not render.
    static func rendered(_ object: KubeObject, namespace: String, set: ApplySet, session: ClusterSession) async throws -> Inventory? {
        let client = session.client
        let (version, _) = try await session.kubeVersion()
        let loaded = try await ClusterDefinitions.load(client, applicationNamespaces: [namespace], usedTypes: nil)
        let registry = CustomDefinitions.registry(adding: loaded.definitions).registry
        let options = RenderOptions(kubeVersion: KubeVersion.target(for: version)?.version ?? .newest, jobs: 1)
        guard let application = RenderPipeline(registry: registry, options: options).render(json: object.json).application else { return nil }
        var scopes: [GroupKind: Bool] = [:]
        for rendered in application.objects where scopes[rendered.object.gvk.groupKind] == nil {
            let gvk = rendered.object.gvk
            do {
                scopes[gvk.groupKind] = try await client.resource(for: gvk).namespaced
            } catch KubeError.configuration {
                scopes[gvk.groupKind] = ResourceScope.builtIn(gvk.groupKind) == .namespaced
            }
        }
        return DeployPlan(application: application, namespace: namespace, applySet: set) { scopes[$0] ?? true }.inventory
    }

    /// The inventory the set's members tell: each member under the component its label names,
    /// the one with a pod template and no trait as the workload, its containers as main or init.
    static func members(_ application: String, record: ApplySetRecord, set: ApplySet, namespace: String,
                        client: KubeClient) async throws -> Inventory {
        let members = try await MemberListing(client: client, set: set).members(of: record, parentNamespace: namespace)
        var components: [Inventory.Component] = []
        for member in members.values.sorted(by: { "\($0.reference)" < "\($1.reference)" }) {
            let labels = member.json[path: ["metadata", "labels"]]
            let name = labels?[LabelKeys.component]?.string ?? application
            let trait = labels?[LabelKeys.traitType]?.string
            let podSpecPath = KindCatalog.entry(for: member.gvk.groupKind).podSpecPath
            let podSpec = podSpecPath.flatMap { member.json[path: $0] }
            let isWorkload = trait == nil && podSpec != nil
                && !components.contains { $0.name == name && $0.workload != nil }
            let entry = Inventory.Entry(reference: member.reference, trait: trait, isWorkload: isWorkload)
            var containers: [Inventory.Container] = []
            if isWorkload, let podSpec {
                containers = (podSpec["initContainers"]?.array ?? []).compactMap { container in
                    container["name"]?.string.map {
                        Inventory.Container(name: $0, role: container["restartPolicy"]?.string == "Always" ? .nativeSidecar : .initContainer,
                                            trait: nil)
                    }
                } + (podSpec["containers"]?.array ?? []).enumerated().compactMap { index, container in
                    container["name"]?.string.map { Inventory.Container(name: $0, role: index == 0 ? .main : .sidecar, trait: nil) }
                }
            }
            if let index = components.firstIndex(where: { $0.name == name }) {
                components[index].objects.insert(entry, at: isWorkload ? 0 : components[index].objects.count)
                components[index].containers += containers
            } else {
                components.append(Inventory.Component(name: name, type: labels?[LabelKeys.workloadType]?.string ?? "", objects: [entry],
                                                      containers: containers))
            }
        }
        return Inventory(application: application, components: components)
    }
}
