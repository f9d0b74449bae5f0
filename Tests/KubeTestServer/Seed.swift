import TandemJSON

/// What a fresh cluster has: the system namespaces, the `kubernetes` Service, one ready node
/// and a default StorageClass.
enum Seed {
    static func initialObjects(into registry: Registry) throws {
        for name in ["default", "kube-system", "kube-public", "kube-node-lease"] {
            _ = try registry.insert(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]],
                                    manager: "kube-apiserver")
        }
        _ = try registry.insert([
            "apiVersion": "v1", "kind": "Service",
            "metadata": ["name": "kubernetes", "namespace": "default",
                         "labels": ["component": "apiserver", "provider": "kubernetes"]],
            "spec": ["clusterIP": "10.96.0.1", "ports": [["name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443]]],
        ], manager: "kube-apiserver")
        _ = try registry.insert([
            "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
            "metadata": ["name": "standard", "annotations": ["storageclass.kubernetes.io/is-default-class": "true"]],
            "provisioner": "kube-test-server/simulated", "reclaimPolicy": "Delete", "volumeBindingMode": "Immediate",
        ], manager: "kube-apiserver")
        _ = try registry.insert([
            "apiVersion": "v1", "kind": "Node",
            "metadata": ["name": "node-1", "labels": ["kubernetes.io/hostname": "node-1", "kubernetes.io/os": "linux",
                                                      "kubernetes.io/arch": "amd64"]],
            "spec": ["podCIDR": "10.244.0.0/24"],
            "status": [
                "capacity": ["cpu": "8", "memory": "32Gi", "pods": "110"],
                "allocatable": ["cpu": "8", "memory": "32Gi", "pods": "110"],
                "conditions": [["type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status"]],
                "addresses": [["type": "InternalIP", "address": "172.18.0.2"], ["type": "Hostname", "address": "node-1"]],
                "nodeInfo": ["kubeletVersion": "v1.31.0", "containerRuntimeVersion": "containerd://1.7.0", "operatingSystem": "linux",
                             "architecture": "amd64"],
            ],
        ], manager: "kubelet")
    }
}
