import Foundation
import TandemJSON

/// The simulated replicaset controller: as many pods as replicas, their counts in status.
enum ReplicaSetController {
    static func run(_ context: inout ControllerContext) {
        context.sync(.replicaSets) { replicaSet, context in
            guard !replicaSet.isDeleting else { return }
            let namespace = replicaSet.namespace
            var current = context.owned(.pods, by: replicaSet).filter { !$0.isDeleting }
            let desired = replicaSet[path: ["spec", "replicas"]]?.int ?? 1
            if current.count < desired {
                for _ in current.count..<desired {
                    let name = "\(replicaSet.name)-\(NameSuffix.random())"
                    let pod = Workload.pod(name: name, namespace: namespace, template: replicaSet[path: ["spec", "template"]],
                                           owner: replicaSet, ownerKind: "ReplicaSet", ownerAPIVersion: "apps/v1",
                                           generateName: "\(replicaSet.name)-")
                    if let created = context.create(pod, manager: "kube-controller-manager") {
                        current.append(created)
                        context.event(EventSpec(object: replicaSet, apiVersion: "apps/v1", kind: "ReplicaSet", reason: "SuccessfulCreate",
                                                message: "Created pod: \(name)", component: "replicaset-controller"))
                    }
                }
            } else if current.count > desired {
                let victims = current.sorted { lhs, rhs in
                    let (left, right) = (Workload.isReady(lhs), Workload.isReady(rhs))
                    if left != right { return !left }
                    return (lhs[path: ["metadata", "creationTimestamp"]]?.string ?? "") > (rhs[path: ["metadata", "creationTimestamp"]]?.string ?? "")
                }.prefix(current.count - desired)
                for pod in victims {
                    context.delete(.pods, pod)
                    context.event(EventSpec(object: replicaSet, apiVersion: "apps/v1", kind: "ReplicaSet", reason: "SuccessfulDelete",
                                            message: "Deleted pod: \(pod.name)", component: "replicaset-controller"))
                }
                let gone = Set(victims.map(\.uid))
                current.removeAll { gone.contains($0.uid) }
            }
            let ready = current.filter(Workload.isReady).count
            let status = Workload.status([
                ("replicas", .int(current.count)), ("fullyLabeledReplicas", .int(current.count)), ("readyReplicas", .int(ready)),
                ("availableReplicas", .int(ready)), ("observedGeneration", replicaSet[path: ["metadata", "generation"]] ?? 1),
            ], always: ["replicas"])
            context.setStatus(.replicaSets, replicaSet, .object(status), manager: "kube-controller-manager")
        }
    }
}
