import KubeClient
import KubeModel
import TandemDefinitions
import TandemJSON
import TandemModel
import TandemRendering

/// The resource policies of an application that act while it is deployed and deleted —
/// apply-once, garbage-collect, read-only, take-over, shared-resource, resource-update — read
/// from its validated, defaulted `spec.policies`. The Deployer and the ApplicationDeleter
/// consult it; an application without such policies deploys exactly as before.
public struct RuntimePolicies: Sendable {
    var applyOnce: ApplyOnceRules
    var garbageCollect: GarbageCollectRules
    var readOnly: PolicyRules
    var takeOver: PolicyRules
    var shared: PolicyRules
    var resourceUpdate: PolicyRules

    public init(_ application: RenderedApplication) {
        self.init(application.deployTimePolicies, components: application.application.components)
    }

    /// The deploy-time policies as bytes, for digests of what a deploy does: the same objects
    /// under other policies deploy differently.
    public static func fingerprint(of application: RenderedApplication) -> [UInt8] {
        JSONWriter.compactBytes(.array(application.deployTimePolicies.map { policy in
            ["type": .string(policy.type), "properties": policy.properties]
        }))
    }

    init(_ policies: [Application.Policy], components: [Application.Component] = []) {
        func properties(_ type: String) -> [JSONValue] { policies.filter { $0.type == type }.map(\.properties) }
        applyOnce = ApplyOnceRules(properties(ApplyOncePolicy().name))
        garbageCollect = GarbageCollectRules(properties(GarbageCollectPolicy().name), components: components)
        readOnly = PolicyRules(properties(ReadOnlyPolicy().name))
        takeOver = PolicyRules(properties(TakeOverPolicy().name))
        shared = PolicyRules(properties(SharedResourcePolicy().name))
        resourceUpdate = PolicyRules(properties(ResourceUpdatePolicy().name))
    }

    /// Whether the item is only read: never written, but it must exist.
    func isReadOnly(_ item: DeployPlan.Item) -> Bool { readOnly.selects(PolicyTarget(item)) }

    /// Whether health reads the object by name: it is only read, or shared (maybe owned by another).
    func isReadByName(_ object: RenderedObject) -> Bool {
        readOnly.selects(PolicyTarget(object)) || shared.selects(PolicyTarget(object))
    }

    /// Whether the item is adopted when it exists and is not the application's (as `--take-over` does).
    func takesOver(_ item: DeployPlan.Item) -> Bool { takeOver.selects(PolicyTarget(item)) }

    /// Whether the item may be shared with other applications that render it too.
    func isShared(_ item: DeployPlan.Item) -> Bool { shared.selects(PolicyTarget(item)) }

    /// The resource-update strategy of the item, if a rule selects it.
    func updateStrategy(_ item: DeployPlan.Item) -> UpdateStrategy? {
        resourceUpdate.first(selecting: PolicyTarget(item)).map { UpdateStrategy($0["strategy"] ?? .null) }
    }

    /// The plan with what the policies record on the objects themselves (how each is garbage
    /// collected, its place in the dependency order), so that deleting the application later —
    /// from another command, without its file — honours them.
    func annotated(_ plan: DeployPlan) -> DeployPlan {
        var plan = plan
        for index in plan.items.indices {
            let annotations = garbageCollect.annotations(for: plan.items[index])
            if !annotations.isEmpty { plan.items[index].object.addAnnotations(annotations) }
        }
        return plan
    }
}

extension RuntimePolicies {
    /// Writes one item: as the resource-update policy says for an object that exists, else by
    /// server-side apply.
    func write(_ item: DeployPlan.Item, live known: KubeObject?, client: KubeClient, force: Bool) async throws -> KubeClient.Applied {
        guard known != nil, let strategy = updateStrategy(item) else {
            return try await client.apply(item.object, options: ApplyOptions(force: force))
        }
        // The watch cache keeps little of an object: compare with the object itself.
        guard let live = try await client.get(item.reference) else {
            return try await client.apply(item.object, options: ApplyOptions(force: force))
        }
        return try await strategy.write(item.object, live: live, client: client, force: force)
    }
}
