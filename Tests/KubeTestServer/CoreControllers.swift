import Foundation
import TandemJSON

/// What runs even without the simulation, because a real API server's own machinery does it:
/// garbage collection through owner references, namespace deletion, CRD establishment.
enum CoreControllers {
    static let crdCleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io"

    /// `collectGarbage` is false when nothing was deleted and no owner went missing since the last tick.
    static func run(_ context: inout ControllerContext, collectGarbage: Bool) {
        establishDefinitions(context)
        finishNamespaces(context)
        if collectGarbage { Self.collectGarbage(context) }
    }

    // MARK: - Garbage collection

    private static func collectGarbage(_ context: ControllerContext) {
        let registry = context.registry
        let keys = registry.store.read { $0.keys() }
        var byUID: [String: (key: ObjectKey, object: JSONValue)] = [:]
        var dependents: [String: [(key: ObjectKey, object: JSONValue)]] = [:]
        for key in keys {
            guard let object = registry.object(key) else { continue }
            byUID[object.uid] = (key, object)
            for owner in object[path: ["metadata", "ownerReferences"]]?.array ?? [] {
                if let uid = owner["uid"]?.string { dependents[uid, default: []].append((key, object)) }
            }
        }
        for (uid, owned) in dependents where byUID[uid] == nil {
            // Every owner gone: the dependent goes too (the owner's background deletion).
            for dependent in owned where !dependent.object.isDeleting {
                let owners = dependent.object[path: ["metadata", "ownerReferences"]]?.array ?? []
                if owners.allSatisfy({ byUID[$0["uid"]?.string ?? ""] == nil }) {
                    context.delete(dependent.key.resource, dependent.object, policy: "Background")
                }
            }
        }
        for (uid, entry) in byUID where entry.object.isDeleting {
            let finalizers = entry.object[path: ["metadata", "finalizers"]]?.strings ?? []
            let owned = dependents[uid] ?? []
            if finalizers.contains(Registry.orphanFinalizer) {
                for dependent in owned {
                    registry.modify(dependent.key, manager: "kube-controller-manager") { object in
                        let kept = (object[path: ["metadata", "ownerReferences"]]?.array ?? []).filter { $0["uid"]?.string != uid }
                        object[path: ["metadata", "ownerReferences"]] = kept.isEmpty ? nil : .array(kept)
                    }
                }
                registry.removeFinalizer(Registry.orphanFinalizer, from: entry.key)
            } else if finalizers.contains(Registry.foregroundFinalizer) {
                for dependent in owned where !dependent.object.isDeleting {
                    context.delete(dependent.key.resource, dependent.object, policy: "Foreground")
                }
                let blocking = owned.filter { dependent in
                    registry.object(dependent.key) != nil
                        && (dependent.object[path: ["metadata", "ownerReferences"]]?.array ?? [])
                        .contains { $0["uid"]?.string == uid && $0["blockOwnerDeletion"]?.bool == true }
                }
                if blocking.isEmpty { registry.removeFinalizer(Registry.foregroundFinalizer, from: entry.key) }
            }
        }
    }

    // MARK: - Namespaces

    private static func finishNamespaces(_ context: ControllerContext) {
        let registry = context.registry
        for namespace in context.list(.namespaces) where namespace.isDeleting {
            let name = namespace.name
            var remaining = 0
            for type in registry.catalog.all where type.namespaced {
                for object in registry.objects(type.groupResource, namespace: name) {
                    remaining += 1
                    if !object.isDeleting { context.delete(type.groupResource, object, policy: "Background") }
                }
            }
            guard remaining == 0 else { continue }
            let key = ControllerContext.key(.namespaces, namespace)
            if (namespace[path: ["spec", "finalizers"]]?.array ?? []).isEmpty {
                registry.removeIfFinalized(key)
            } else {
                registry.modify(key, manager: "kube-controller-manager") { object in
                    object[path: ["spec", "finalizers"]] = .array([])
                }
            }
        }
    }

    // MARK: - CRDs

    private static func establishDefinitions(_ context: ControllerContext) {
        let registry = context.registry
        var served: [ResourceType] = []
        for crd in context.list(.customResourceDefinitions) {
            let key = ControllerContext.key(.customResourceDefinitions, crd)
            guard let types = ResourceCatalog.customTypes(of: crd) else { continue }
            if crd.isDeleting {
                var remaining = 0
                if let type = types.first {
                    for object in registry.objects(type.groupResource, namespace: nil) {
                        remaining += 1
                        if !object.isDeleting { context.delete(type.groupResource, object) }
                    }
                }
                if remaining == 0 { registry.removeFinalizer(crdCleanupFinalizer, from: key) }
                served += types
                continue
            }
            let established = (crd[path: ["status", "conditions"]]?.array ?? [])
                .contains { $0["type"] == "Established" && $0["status"] == "True" }
            if !established {
                if !(crd[path: ["metadata", "finalizers"]]?.strings ?? []).contains(crdCleanupFinalizer) {
                    registry.modify(key, manager: "kube-apiserver") { object in
                        let finalizers = (object[path: ["metadata", "finalizers"]]?.array ?? []) + [.string(crdCleanupFinalizer)]
                        object[path: ["metadata", "finalizers"]] = .array(finalizers)
                    }
                }
                let now = Timestamp.string(context.now)
                let storage = (crd[path: ["spec", "versions"]]?.array ?? []).first { $0["storage"]?.bool == true }?["name"]
                    ?? crd[path: ["spec", "versions"]]?.array?.first?["name"] ?? "v1"
                let status: JSONValue = [
                    "conditions": [
                        ["type": "NamesAccepted", "status": "True", "lastTransitionTime": .string(now), "reason": "NoConflicts",
                         "message": "no conflicts found"],
                        ["type": "Established", "status": "True", "lastTransitionTime": .string(now), "reason": "InitialNamesAccepted",
                         "message": "the initial names have been accepted"],
                    ],
                    "acceptedNames": crd[path: ["spec", "names"]] ?? [:],
                    "storedVersions": [storage],
                ]
                if let current = registry.object(key) {
                    context.setStatus(.customResourceDefinitions, current, status, manager: "kube-apiserver")
                }
            }
            served += types
        }
        if registry.catalog.all.filter(\.isCustom) != served {
            registry.catalog.setCustomTypes(served)
        }
    }
}
