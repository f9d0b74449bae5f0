import Foundation
import KubeTestServer
import TandemJSON
import Testing

/// The simulated controllers and kubelet, driven by what the objects say.
struct SimulationTests {
    static func deployment(_ name: String, containers: String, replicas: Int = 1, extraSpec: String = "") -> JSONValue {
        json(#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"\#(name)","namespace":"default"},"spec":{"replicas":\#(replicas),\#(extraSpec)"selector":{"matchLabels":{"app":"\#(name)"}},"template":{"metadata":{"labels":{"app":"\#(name)"}},"spec":{"containers":\#(containers)}}}}"#)
    }

    static func pods(_ server: KubeTestServer, app: String) async -> [JSONValue] {
        await server.objects(apiVersion: "v1", kind: "Pod", namespace: "default").filter { $0["metadata.labels"]?["app"]?.string == app }
    }

    static func events(_ server: KubeTestServer, reason: String) async -> [JSONValue] {
        await server.objects(apiVersion: "v1", kind: "Event", namespace: "default").filter { $0["reason"]?.string == reason }
    }

    @Test func deploymentBecomesAvailableAndRollsOut() async throws {
        let server = try await KubeTestServer.start()
        defer { Task { try? await server.shutdown() } }
        try await server.insert(Self.deployment("web", containers: #"[{"name":"web","image":"nginx:1"}]"#, replicas: 3))
        func deployment() async -> JSONValue? { await server.object(apiVersion: "apps/v1", kind: "Deployment", namespace: "default", name: "web") }
        #expect(await eventually { await deployment()?["status.availableReplicas"] == 3 })
        let status = try #require(await deployment()?["status"])
        #expect(status["observedGeneration"] == 1 && status["updatedReplicas"] == 3 && status["readyReplicas"] == 3)
        #expect(status["conditions.0.type"] == "Available" && status["conditions.0.reason"] == "MinimumReplicasAvailable")
        #expect(status["conditions.1.reason"] == "NewReplicaSetAvailable")
        let pods = await Self.pods(server, app: "web")
        #expect(pods.count == 3)
        let pod = try #require(pods.first)
        #expect(pod["spec.nodeName"] == "node-1")
        #expect(pod["metadata.labels"]?["pod-template-hash"]?.string?.isEmpty == false)
        #expect(pod["metadata.ownerReferences.0.kind"] == "ReplicaSet")
        #expect(pod["status.phase"] == "Running")
        #expect(pod["status.containerStatuses.0.ready"] == true && pod["status.containerStatuses.0.started"] == true)
        #expect(pod["status.conditions"]?.array?.compactMap { $0["type"]?.string } == ["Initialized", "Ready", "ContainersReady", "PodScheduled"])
        #expect(await !Self.events(server, reason: "Scheduled").isEmpty)
        #expect(await !Self.events(server, reason: "ScalingReplicaSet").isEmpty)

        // A new template: a new ReplicaSet, the old one scaled to zero, new pods.
        try await server.insert(Self.deployment("web", containers: #"[{"name":"web","image":"nginx:2"}]"#, replicas: 3))
        #expect(await eventually {
            let current = await deployment()
            let pods = await Self.pods(server, app: "web")
            return current?["status.updatedReplicas"] == 3 && current?["status.availableReplicas"] == 3 && current?["status.replicas"] == 3
                && pods.count == 3 && pods.allSatisfy { $0["spec.containers.0.image"] == "nginx:2" }
        })
        let sets = await server.objects(apiVersion: "apps/v1", kind: "ReplicaSet", namespace: "default")
        #expect(sets.count == 2)
        #expect(sets.filter { $0["spec.replicas"] == 0 }.count == 1)
    }

    @Test func crashLoopReportsBackOff() async throws {
        let server = try await KubeTestServer.start()
        defer { Task { try? await server.shutdown() } }
        try await server.insert(Self.deployment("crash", containers: #"[{"name":"app","image":"busybox:1","command":["sh","-c","echo boom; exit 3"]}]"#))
        #expect(await eventually {
            let status = await Self.pods(server, app: "crash").first?["status.containerStatuses.0"]
            return status?["state.waiting.reason"] == "CrashLoopBackOff" && (status?["restartCount"]?.int ?? 0) >= 2
        })
        let pod = try #require(await Self.pods(server, app: "crash").first)
        let status = try #require(pod["status.containerStatuses.0"])
        #expect(status["lastState.terminated.exitCode"] == 3 && status["lastState.terminated.reason"] == "Error")
        let message = try #require(status["state.waiting.message"]?.string)
        #expect(message.hasPrefix("back-off ") && message.contains("restarting failed container=app pod=\(pod["metadata.name"]?.string ?? "")_default("))
        let backOff = try #require(await Self.events(server, reason: "BackOff").first)
        #expect(backOff["type"] == "Warning")
        #expect(backOff["involvedObject.fieldPath"] == "spec.containers{app}")
        #expect(backOff["message"]?.string?.hasPrefix("Back-off restarting failed container app in pod \(pod["metadata.name"]?.string ?? "")_default(") == true)
        let deployment = await server.object(apiVersion: "apps/v1", kind: "Deployment", namespace: "default", name: "crash")
        #expect(deployment?["status.conditions.0.status"] == "False")
        #expect(deployment?["status.unavailableReplicas"] == 1)
    }

    @Test func progressDeadlineExceeded() async throws {
        let server = try await KubeTestServer.start()
        defer { Task { try? await server.shutdown() } }
        try await server.insert(Self.deployment("stuck", containers: #"[{"name":"app","image":"unpullable.invalid/app:1"}]"#,
                                                extraSpec: #""progressDeadlineSeconds":1,"#))
        #expect(await eventually {
            let pod = await Self.pods(server, app: "stuck").first
            return pod?["status.containerStatuses.0.state.waiting.reason"] == "ImagePullBackOff"
        })
        let pod = try #require(await Self.pods(server, app: "stuck").first)
        #expect(pod["status.containerStatuses.0.state.waiting.message"] == "Back-off pulling image \"unpullable.invalid/app:1\"")
        #expect(await Self.events(server, reason: "Failed").contains { $0["message"]?.string?.hasPrefix("Failed to pull image \"unpullable.invalid/app:1\"") == true })
        #expect(await eventually {
            let conditions = await server.object(apiVersion: "apps/v1", kind: "Deployment", namespace: "default", name: "stuck")?["status.conditions"]
            return conditions?.array?.contains { $0["type"] == "Progressing" && $0["reason"] == "ProgressDeadlineExceeded" && $0["status"] == "False" } == true
        })
    }

    @Test func missingSecretKeyIsAConfigError() async throws {
        let server = try await KubeTestServer.start()
        defer { Task { try? await server.shutdown() } }
        try await server.insert(json(#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"shop"}}"#))
        try await server.insert(json(#"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"db","namespace":"shop"},"data":{"user":"YQ=="}}"#))
        try await server.insert(json(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"api","namespace":"shop"},"spec":{"containers":[{"name":"api","image":"api:1","env":[{"name":"PASSWORD","valueFrom":{"secretKeyRef":{"name":"db","key":"password"}}}]}]}}"#))
        func pod() async -> JSONValue? { await server.object(apiVersion: "v1", kind: "Pod", namespace: "shop", name: "api") }
        #expect(await eventually { await pod()?["status.containerStatuses.0.state.waiting.reason"] == "CreateContainerConfigError" })
        #expect(await pod()?["status.containerStatuses.0.state.waiting.message"] == "couldn't find key password in Secret shop/db")
        #expect(await server.objects(apiVersion: "v1", kind: "Event", namespace: "shop").contains {
            $0["reason"] == "Failed" && $0["message"] == "Error: couldn't find key password in Secret shop/db"
        })
        // Adding the key lets the container start.
        try await server.insert(json(#"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"db","namespace":"shop"},"data":{"user":"YQ==","password":"cA=="}}"#))
        #expect(await eventually { await pod()?["status.containerStatuses.0.ready"] == true })
    }

    @Test func failingReadinessProbeKeepsThePodUnready() async throws {
        let server = try await KubeTestServer.start()
        defer { Task { try? await server.shutdown() } }
        try await server.insert(Self.deployment("unready", containers: #"[{"name":"app","image":"app:1","readinessProbe":{"httpGet":{"path":"/fail","port":8080}}}]"#))
        #expect(await eventually { await !Self.events(server, reason: "Unhealthy").isEmpty })
        let pod = try #require(await Self.pods(server, app: "unready").first)
        #expect(pod["status.phase"] == "Running")
        #expect(pod["status.containerStatuses.0.state.running"] != nil)
        #expect(pod["status.containerStatuses.0.ready"] == false)
        #expect(pod["status.conditions"]?.array?.first { $0["type"] == "Ready" }?["status"] == "False")
        #expect(await Self.events(server, reason: "Unhealthy").first?["message"] == "Readiness probe failed: HTTP probe failed with statuscode: 500")
    }

    @Test func unreadyAnnotationHoldsThePodUntilRemoved() async throws {
        let server = try await KubeTestServer.start()
        defer { Task { try? await server.shutdown() } }
        try await server.insert(json(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"held","namespace":"default","annotations":{"kube-test-server/unready":"true"}},"spec":{"containers":[{"name":"app","image":"app:1","readinessProbe":{"httpGet":{"path":"/ready","port":8080}}},{"name":"helper","image":"helper:1"}]}}"#))
        func pod() async -> JSONValue? { await server.object(apiVersion: "v1", kind: "Pod", namespace: "default", name: "held") }
        #expect(await eventually { await !Self.events(server, reason: "Unhealthy").isEmpty })
        let held = try #require(await pod())
        #expect(held["status.phase"] == "Running")
        #expect(held["status.containerStatuses.0.ready"] == false)
        // A container without a readiness probe is ready as soon as it runs, held or not.
        #expect(held["status.containerStatuses.1.ready"] == true)
        #expect(held["status.conditions"]?.array?.first { $0["type"] == "Ready" }?["status"] == "False")

        var released = held
        released[path: ["metadata", "annotations", "kube-test-server/unready"]] = nil
        try await server.insert(released)
        #expect(await eventually { await pod()?["status.conditions"]?.array?.first { $0["type"] == "Ready" }?["status"] == "True" })
        #expect(await pod()?["status.containerStatuses.0.ready"] == true)
    }

    @Test func missingVolumeSourceKeepsThePodCreating() async throws {
        let server = try await KubeTestServer.start()
        defer { Task { try? await server.shutdown() } }
        try await server.insert(json(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"mounts","namespace":"default"},"spec":{"volumes":[{"name":"config","configMap":{"name":"absent"}}],"containers":[{"name":"app","image":"app:1"}]}}"#))
        #expect(await eventually { await !Self.events(server, reason: "FailedMount").isEmpty })
        let pod = await server.object(apiVersion: "v1", kind: "Pod", namespace: "default", name: "mounts")
        #expect(pod?["status.phase"] == "Pending")
        #expect(pod?["status.containerStatuses.0.state.waiting.reason"] == "ContainerCreating")
        #expect(await Self.events(server, reason: "FailedMount").first?["message"] == "MountVolume.SetUp failed for volume \"config\" : configmap \"absent\" not found")
    }

    static func job(_ name: String, containers: String, initContainers: String = "[]", backoffLimit: Int = 6,
                    restartPolicy: String = "Never") -> JSONValue {
        json(#"{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"\#(name)","namespace":"default"},"spec":{"backoffLimit":\#(backoffLimit),"template":{"spec":{"restartPolicy":"\#(restartPolicy)","initContainers":\#(initContainers),"containers":\#(containers)}}}}"#)
    }

    static func condition(_ server: KubeTestServer, job: String, _ type: String) async -> JSONValue? {
        await server.object(apiVersion: "batch/v1", kind: "Job", namespace: "default", name: job)?["status.conditions"]?.array?
            .first { $0["type"]?.string == type && $0["status"] == "True" }
    }

    @Test func jobsCompleteOrFail() async throws {
        let server = try await KubeTestServer.start()
        defer { Task { try? await server.shutdown() } }
        try await server.insert(Self.job("ok", containers: #"[{"name":"main","image":"busybox","command":["sh","-c","echo done"]}]"#,
                                         initContainers: #"[{"name":"proxy","image":"envoy","restartPolicy":"Always"}]"#))
        try await server.insert(Self.job("broken", containers: #"[{"name":"main","image":"busybox","command":["sh","-c","exit 1"]}]"#,
                                         backoffLimit: 1))
        try await server.insert(Self.job("sidecar", containers: #"[{"name":"main","image":"busybox"},{"name":"logs","image":"fluent-bit"}]"#))
        #expect(await eventually { await Self.condition(server, job: "ok", "Complete") != nil })
        let ok = try #require(await server.object(apiVersion: "batch/v1", kind: "Job", namespace: "default", name: "ok"))
        #expect(ok["status.succeeded"] == 1 && ok["status.startTime"] != nil && ok["status.completionTime"] != nil)
        #expect(ok["status.conditions.0.type"] == "SuccessCriteriaMet")
        #expect(ok["spec.selector.matchLabels"]?.object?["batch.kubernetes.io/controller-uid"] == ok["metadata.uid"])

        #expect(await eventually { await Self.condition(server, job: "broken", "Failed") != nil })
        let broken = try #require(await server.object(apiVersion: "batch/v1", kind: "Job", namespace: "default", name: "broken"))
        #expect(broken["status.failed"] == 2)
        #expect(broken["status.conditions.0.type"] == "FailureTarget" && broken["status.conditions.1.reason"] == "BackoffLimitExceeded")
        #expect(broken["status.conditions.1.message"] == "Job has reached the specified backoff limit")

        // A classic sidecar that never exits keeps its Job running after the main container is done.
        #expect(await eventually {
            let pod = await server.objects(apiVersion: "v1", kind: "Pod", namespace: "default")
                .first { $0["metadata.labels"]?["job-name"] == "sidecar" }
            return pod?["status.containerStatuses.0.state.terminated.reason"] == "Completed"
                && pod?["status.containerStatuses.1.state.running"] != nil && pod?["status.phase"] == "Running"
        })
        #expect(await Self.condition(server, job: "sidecar", "Complete") == nil)
        #expect(await server.object(apiVersion: "batch/v1", kind: "Job", namespace: "default", name: "sidecar")?["status.active"] == 1)
    }

    @Test func statefulSetsDaemonSetsServicesAndClaims() async throws {
        let server = try await KubeTestServer.start()
        defer { Task { try? await server.shutdown() } }
        try await server.insert(json(#"{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db","namespace":"default"},"spec":{"replicas":2,"serviceName":"db","selector":{"matchLabels":{"app":"db"}},"template":{"metadata":{"labels":{"app":"db"}},"spec":{"containers":[{"name":"db","image":"postgres:16","volumeMounts":[{"name":"data","mountPath":"/data"}]}]}},"volumeClaimTemplates":[{"metadata":{"name":"data"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}]}}"#))
        try await server.insert(json(#"{"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"agent","namespace":"default"},"spec":{"selector":{"matchLabels":{"app":"agent"}},"template":{"metadata":{"labels":{"app":"agent"}},"spec":{"containers":[{"name":"agent","image":"agent:1"}]}}}}"#))
        try await server.insert(json(#"{"apiVersion":"v1","kind":"Service","metadata":{"name":"public","namespace":"default"},"spec":{"type":"LoadBalancer","selector":{"app":"web"},"ports":[{"port":80}]}}"#))
        try await server.insert(json(#"{"apiVersion":"v1","kind":"Service","metadata":{"name":"headless","namespace":"default"},"spec":{"clusterIP":"None","selector":{"app":"db"},"ports":[{"port":5432}]}}"#))
        try await server.insert(json(#"{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"stuck","namespace":"default"},"spec":{"storageClassName":"never-binds","accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}"#))

        #expect(await eventually {
            let set = await server.object(apiVersion: "apps/v1", kind: "StatefulSet", namespace: "default", name: "db")
            return set?["status.readyReplicas"] == 2 && set?["status.currentRevision"] == set?["status.updateRevision"]
        })
        let names = await server.objects(apiVersion: "v1", kind: "Pod", namespace: "default").compactMap { $0["metadata.name"]?.string }
        #expect(names.contains("db-0") && names.contains("db-1"))
        let claim = await server.object(apiVersion: "v1", kind: "PersistentVolumeClaim", namespace: "default", name: "data-db-0")
        #expect(claim?["status.phase"] == "Bound")
        #expect(await eventually {
            await server.object(apiVersion: "apps/v1", kind: "DaemonSet", namespace: "default", name: "agent")?["status.numberReady"] == 1
        })
        #expect(await eventually {
            await server.object(apiVersion: "v1", kind: "Service", namespace: "default", name: "public")?["status.loadBalancer.ingress.0.ip"] == "192.0.2.10"
        })
        let service = try #require(await server.object(apiVersion: "v1", kind: "Service", namespace: "default", name: "public"))
        #expect(service["spec.clusterIP"]?.string?.hasPrefix("10.96.") == true)
        #expect(service["spec.ports.0.nodePort"]?.int.map { (30000...32767).contains($0) } == true)
        #expect(await server.object(apiVersion: "v1", kind: "Service", namespace: "default", name: "headless")?["spec.clusterIP"] == "None")
        #expect(await server.object(apiVersion: "v1", kind: "PersistentVolumeClaim", namespace: "default", name: "stuck")?["status.phase"] == "Pending")
    }

    @Test func simulationOffLeavesObjectsAlone() async throws {
        let server = try await KubeTestServer.start(KubeTestServer.Options(simulation: .off))
        defer { Task { try? await server.shutdown() } }
        try await server.insert(Self.deployment("idle", containers: #"[{"name":"app","image":"app:1"}]"#))
        try await Task.sleep(for: .milliseconds(300))
        #expect(await server.objects(apiVersion: "apps/v1", kind: "ReplicaSet", namespace: "default").isEmpty)
        #expect(await server.object(apiVersion: "apps/v1", kind: "Deployment", namespace: "default", name: "idle")?["status"] == nil)
    }
}
