import Foundation
import TandemJSON

/// The simulated cloud provider: LoadBalancer Services get an ingress IP after a delay, unless
/// annotated `kube-test-server/no-load-balancer: "true"`.
enum ServiceController {
    static let ingressIP = "192.0.2.10"
    static let noLoadBalancerAnnotation = "kube-test-server/no-load-balancer"

    static func run(_ context: inout ControllerContext, memory: inout SimulationMemory) {
        context.sync(.services) { service, context in
            guard !service.isDeleting, service[path: ["spec", "type"]] == "LoadBalancer",
                  service[path: ["metadata", "annotations", noLoadBalancerAnnotation]]?.string != "true",
                  (service[path: ["status", "loadBalancer", "ingress"]]?.array ?? []).isEmpty else { return }
            let seen = memory.firstSeen[service.uid] ?? context.now
            memory.firstSeen[service.uid] = seen
            context.event(EventSpec(object: service, apiVersion: "v1", kind: "Service", reason: "EnsuringLoadBalancer",
                                    message: "Ensuring load balancer", component: "service-controller"))
            let due = seen.addingTimeInterval(context.seconds(context.options.loadBalancerDelay))
            guard context.now >= due else { context.wake(at: due); return }
            var status = service["status"] ?? [:]
            status[path: ["loadBalancer"]] = ["ingress": [["ip": .string(ingressIP)]]]
            context.setStatus(.services, service, status, manager: "kube-controller-manager")
            context.event(EventSpec(object: service, apiVersion: "v1", kind: "Service", reason: "EnsuredLoadBalancer",
                                    message: "Ensured load balancer", component: "service-controller"))
        }
    }
}

/// The simulated volume binder and provisioner: a pending claim binds after a delay, unless its
/// storageClassName is `never-binds`.
enum VolumeController {
    static let neverBinds = "never-binds"

    static func run(_ context: inout ControllerContext, memory: inout SimulationMemory) {
        context.sync(.persistentVolumeClaims) { claim, context in
            guard !claim.isDeleting, claim[path: ["status", "phase"]] != "Bound" else { return }
            if claim[path: ["spec", "storageClassName"]]?.string == neverBinds {
                context.event(EventSpec(object: claim, apiVersion: "v1", kind: "PersistentVolumeClaim", reason: "ProvisioningFailed",
                                        message: "storageclass.storage.k8s.io \"\(neverBinds)\" not found", type: "Warning",
                                        component: "persistentvolume-controller"))
                return
            }
            let seen = memory.firstSeen[claim.uid] ?? context.now
            memory.firstSeen[claim.uid] = seen
            let due = seen.addingTimeInterval(context.seconds(context.options.volumeBindDelay))
            guard context.now >= due else { context.wake(at: due); return }
            let volume = "pvc-\(claim.uid)"
            guard let bound = context.modify(.persistentVolumeClaims, claim, manager: "kube-controller-manager", { object in
                object[path: ["spec", "volumeName"]] = .string(volume)
                if object[path: ["spec", "storageClassName"]] == nil { object[path: ["spec", "storageClassName"]] = "standard" }
                object[path: ["metadata", "annotations", "pv.kubernetes.io/bind-completed"]] = "yes"
                object[path: ["metadata", "annotations", "pv.kubernetes.io/bound-by-controller"]] = "yes"
            }) else { return }
            let status: JSONValue = ["phase": "Bound", "accessModes": claim[path: ["spec", "accessModes"]] ?? ["ReadWriteOnce"],
                                     "capacity": ["storage": claim[path: ["spec", "resources", "requests", "storage"]] ?? "1Gi"]]
            context.setStatus(.persistentVolumeClaims, bound, status, manager: "kube-controller-manager")
        }
    }
}
