import Foundation
import KubeTestServer
import TandemJSON
import TandemTestSupport
import Testing

/// The real kubectl against the server: what Tandem's users and tests will do.
@Suite(Kubectl.isNeeded)
struct KubectlTests {
    static let manifests = """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
      labels: {app: web}
    spec:
      replicas: 2
      selector:
        matchLabels: {app: web}
      template:
        metadata:
          labels: {app: web}
        spec:
          containers:
          - name: web
            image: nginx:1.27
            ports:
            - containerPort: 80
    ---
    apiVersion: v1
    kind: Service
    metadata:
      name: web
      labels: {app: web}
    spec:
      selector: {app: web}
      ports:
      - port: 80
    ---
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: web-config
    data:
      greeting: hello

    """

    @Test("kubectl is installed, so that the tests over each version run")
    func kubectlIsInstalled() throws {
        _ = try Kubectl.require()
    }

    @Test(arguments: Kubectl.versions)
    func serverSideApplyCreatesConflictsAndForces(kubectl: String) async throws {
        let cluster = try await ServerFixture.start()
        defer { cluster.finish() }
        let file = try cluster.write("app.yaml", Self.manifests)

        let created = try await cluster.kubectl(["apply", "--server-side", "-f", file], binary: kubectl)
        #expect(created.status == 0, "\(created.output)")
        #expect(created.stdout.contains("deployment.apps/web serverside-applied"))
        #expect(created.stdout.contains("service/web serverside-applied"))
        #expect(created.stdout.contains("configmap/web-config serverside-applied"))
        let versionAfterCreate = await cluster.server.object(apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "web-config")?["metadata.resourceVersion"]

        // The same apply again changes nothing: no new resourceVersion.
        let again = try await cluster.kubectl(["apply", "--server-side", "-f", file], binary: kubectl)
        #expect(again.status == 0, "\(again.output)")
        let versionAfterReapply = await cluster.server.object(apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "web-config")?["metadata.resourceVersion"]
        #expect(versionAfterCreate == versionAfterReapply)

        // Another manager changing a field kubectl owns: a conflict naming both.
        let scaled = try cluster.write("scaled.yaml", Self.manifests.replacingOccurrences(of: "replicas: 2", with: "replicas: 3"))
        let conflict = try await cluster.kubectl(["apply", "--server-side", "--field-manager", "other", "-f", scaled], binary: kubectl)
        #expect(conflict.status != 0)
        #expect(conflict.stderr.contains("Apply failed with 1 conflict: conflict with \"kubectl\": .spec.replicas"), "\(conflict.stderr)")

        let forced = try await cluster.kubectl(["apply", "--server-side", "--field-manager", "other", "--force-conflicts", "-f", scaled],
                                               binary: kubectl)
        #expect(forced.status == 0, "\(forced.output)")
        let deployment = try #require(await cluster.server.object(apiVersion: "apps/v1", kind: "Deployment", namespace: "default", name: "web"))
        #expect(deployment["spec.replicas"] == 3)
        let entries = deployment["metadata.managedFields"]?.array ?? []
        let other = entries.first { $0["manager"] == "other" }
        let original = entries.first { $0["manager"] == "kubectl" && $0["operation"] == "Apply" }
        #expect(other?["fieldsV1.f:spec.f:replicas"] != nil)
        #expect(original?["fieldsV1.f:spec.f:replicas"] == nil)
        // Fields both applied with the same value are shared, not moved.
        #expect(other?["fieldsV1.f:spec.f:selector"] != nil && original?["fieldsV1.f:spec.f:selector"] != nil)
    }

    @Test func labelSelectorsReturnExactlyTheMatchingObjects() async throws {
        let cluster = try await ServerFixture.start()
        defer { cluster.finish() }
        for (name, labels) in [("a", ["tier": "a", "key": "value"]), ("b", ["tier": "b"]), ("c", ["tier": "c", "key": "other"]), ("d", [:])] {
            var object: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": "default"]]
            object[path: ["metadata", "labels"]] = .object(JSONObject(labels.map { .init(key: $0.key, value: .string($0.value)) }))
            try await cluster.server.insert(object)
        }
        func names(_ selector: String) async throws -> [String] {
            let result = try await cluster.kubectl(["get", "configmaps", "-o", "json", "-l", selector])
            #expect(result.status == 0, "\(result.output)")
            return (json(result.stdout)["items"]?.array ?? []).compactMap { $0["metadata.name"]?.string }.sorted()
        }
        #expect(try await names("key=value") == ["a"])
        #expect(try await names("tier in (a,b)") == ["a", "b"])
        #expect(try await names("tier notin (a,b),tier") == ["c"])
        #expect(try await names("!key") == ["b", "d"])
        #expect(try await names("key!=value") == ["b", "c", "d"])
    }

    @Test func watchSeesAChange() async throws {
        let cluster = try await ServerFixture.start()
        defer { cluster.finish() }
        try await cluster.server.insert(json(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"watched"},"data":{"k":"1"}}"#))
        // kubectl is stopped once it has printed the change; its request timeout only bounds a failure.
        async let watch = cluster.kubectl(["get", "configmap", "watched", "-w", "--output-watch-events", "-o", "json",
                                           "--request-timeout=120s"], until: { $0.contains("\"MODIFIED\"") && $0.hasSuffix("\n") })
        #expect(await eventually { await cluster.server.requests().contains { $0.isWatch && $0.path.hasSuffix("/configmaps") } })
        try await cluster.server.insert(json(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"watched"},"data":{"k":"2"}}"#))
        let output = try await watch.stdout
        let events = output.split(separator: "\n").map { json(String($0)) }
        #expect(events.map { $0["type"]?.string ?? "" } == ["ADDED", "MODIFIED"], "\(output)")
        #expect(events.last?["object.data.k"] == "2")
    }

    @Test func deleteThenGetReportsNotFound() async throws {
        let cluster = try await ServerFixture.start()
        defer { cluster.finish() }
        let file = try cluster.write("app.yaml", Self.manifests)
        _ = try await cluster.kubectl(["apply", "--server-side", "-f", file])
        let deleted = try await cluster.kubectl(["delete", "deployment", "web"])
        #expect(deleted.status == 0, "\(deleted.output)")
        #expect(deleted.stdout.contains("deployment.apps \"web\" deleted"))
        let missing = try await cluster.kubectl(["get", "deployment", "web"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("Error from server (NotFound): deployments.apps \"web\" not found"), "\(missing.stderr)")
        // Its ReplicaSet and pods follow it (background garbage collection).
        #expect(await eventually { await cluster.server.objects(apiVersion: "apps/v1", kind: "ReplicaSet", namespace: "default").isEmpty })
        #expect(await eventually { await cluster.server.objects(apiVersion: "v1", kind: "Pod", namespace: "default").isEmpty })
    }

    @Test func tablesWaitAndRolloutStatus() async throws {
        let cluster = try await ServerFixture.start()
        defer { cluster.finish() }
        let file = try cluster.write("app.yaml", Self.manifests)
        _ = try await cluster.kubectl(["apply", "--server-side", "-f", file])
        let wait = try await cluster.kubectl(["wait", "--for=condition=Available", "deployment/web", "--timeout=60s"])
        #expect(wait.status == 0, "\(wait.output)")
        #expect(wait.stdout.contains("deployment.apps/web condition met"))
        let rollout = try await cluster.kubectl(["rollout", "status", "deployment/web", "--timeout=60s"])
        #expect(rollout.status == 0, "\(rollout.output)")
        #expect(rollout.stdout.contains("deployment \"web\" successfully rolled out"))

        let table = try await cluster.kubectl(["get", "deployments"])
        let lines = table.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(lines.first == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"], "\(table.output)")
        #expect(lines.dropFirst().first?.prefix(4) == ["web", "2/2", "2", "2"])
        let pods = try await cluster.kubectl(["get", "pods"])
        #expect(pods.stdout.split(separator: "\n").filter { $0.contains("1/1") && $0.contains("Running") }.count == 2, "\(pods.output)")
    }

    @Test func applySetPrunesExactlyTheRemovedObject() async throws {
        let cluster = try await ServerFixture.start()
        defer { cluster.finish() }
        let environment = ["KUBECTL_APPLYSET": "true"]
        // Not `kubectl create namespace`: it sends protobuf, which the server does not read.
        let namespace = try cluster.write("namespace.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n")
        #expect(try await cluster.kubectl(["apply", "--server-side", "-f", namespace]).status == 0)
        let directory = cluster.path("set")
        _ = try cluster.write("set/deployment.yaml", Self.manifests.components(separatedBy: "---")[0])
        _ = try cluster.write("set/one.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\ndata: {a: \"1\"}\n")
        _ = try cluster.write("set/two.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: two\ndata: {b: \"2\"}\n")
        let arguments = ["apply", "--server-side", "--prune", "--applyset=secrets/myset", "-n", "shop", "-f", directory]
        let first = try await cluster.kubectl(arguments, environment: environment)
        #expect(first.status == 0, "\(first.output)")
        let parent = try #require(await cluster.server.object(apiVersion: "v1", kind: "Secret", namespace: "shop", name: "myset"))
        let id = try #require(parent["metadata.labels"]?.object?["applyset.kubernetes.io/id"]?.string)
        #expect(parent["metadata.annotations"]?.object?["applyset.kubernetes.io/tooling"]?.string?.hasPrefix("kubectl/") == true)
        #expect(parent["metadata.annotations"]?.object?["applyset.kubernetes.io/contains-group-kinds"] == "ConfigMap,Deployment.apps")
        let members = try await cluster.kubectl(["get", "all,configmaps", "-n", "shop", "-l", "applyset.kubernetes.io/part-of=\(id)",
                                                 "-o", "name"])
        #expect(Set(members.stdout.split(separator: "\n").map(String.init))
            == ["deployment.apps/web", "configmap/one", "configmap/two"], "\(members.output)")

        try FileManager.default.removeItem(atPath: cluster.path("set/two.yaml"))
        let second = try await cluster.kubectl(arguments, environment: environment)
        #expect(second.status == 0, "\(second.output)")
        #expect(second.stdout.contains("configmap/two pruned"), "\(second.output)")
        #expect(await cluster.server.object(apiVersion: "v1", kind: "ConfigMap", namespace: "shop", name: "two") == nil)
        #expect(await cluster.server.object(apiVersion: "v1", kind: "ConfigMap", namespace: "shop", name: "one") != nil)
        #expect(await cluster.server.object(apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name: "web") != nil)
    }

    @Test func customResourceDefinitionBecomesServed() async throws {
        let cluster = try await ServerFixture.start()
        defer { cluster.finish() }
        let crd = try cluster.write("crd.yaml", """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.example.com
        spec:
          group: example.com
          scope: Namespaced
          names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}

        """)
        let created = try await cluster.kubectl(["apply", "--server-side", "-f", crd])
        #expect(created.status == 0, "\(created.output)")
        #expect(try await cluster.kubectl(["wait", "--for=condition=Established", "crd/widgets.example.com", "--timeout=30s"]).status == 0)
        let widget = try cluster.write("widget.yaml", "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w1\nspec:\n  size: 3\n")
        let applied = try await cluster.kubectl(["apply", "--server-side", "-f", widget])
        #expect(applied.status == 0, "\(applied.output)")
        #expect(applied.stdout.contains("widget.example.com/w1 serverside-applied"))
        let listed = try await cluster.kubectl(["get", "wd", "-o", "name"])
        #expect(listed.stdout == "widget.example.com/w1\n", "\(listed.output)")
    }

    @Test func everydayCommands() async throws {
        let cluster = try await ServerFixture.start()
        defer { cluster.finish() }
        // Typed `create` commands send protobuf.
        for arguments in [["create", "namespace", "shop"], ["create", "configmap", "settings", "-n", "shop", "--from-literal=a=1"],
                          ["create", "secret", "generic", "db", "-n", "shop", "--from-literal=password=pw"]] {
            let result = try await cluster.kubectl(arguments)
            #expect(result.status == 0, "\(result.output)")
        }
        #expect(await cluster.server.object(apiVersion: "v1", kind: "Secret", namespace: "shop", name: "db")?["data.password"] == "cHc=")
        let file = try cluster.write("app.yaml", Self.manifests)
        #expect(try await cluster.kubectl(["apply", "-n", "shop", "-f", file]).status == 0, "client-side apply")
        for arguments in [["label", "deployment", "web", "-n", "shop", "team=blue"], ["annotate", "deployment", "web", "-n", "shop", "note=hi"],
                          ["scale", "deployment", "web", "-n", "shop", "--replicas=3"], ["rollout", "restart", "deployment/web", "-n", "shop"]] {
            let result = try await cluster.kubectl(arguments)
            #expect(result.status == 0, "\(result.output)")
        }
        let rollout = try await cluster.kubectl(["rollout", "status", "deployment/web", "-n", "shop", "--timeout=60s"])
        #expect(rollout.status == 0, "\(rollout.output)")
        let deployment = try #require(await cluster.server.object(apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name: "web"))
        #expect(deployment["spec.replicas"] == 3 && deployment["metadata.labels"]?.object?["team"] == "blue")
        #expect(deployment["spec.template.metadata.annotations"]?.object?["kubectl.kubernetes.io/restartedAt"] != nil)
        #expect(deployment["status.readyReplicas"] == 3)

        let pods = try await cluster.kubectl(["get", "pods", "-n", "shop", "-o", "name"])
        let pod = try #require(pods.stdout.split(separator: "\n").first.map(String.init))
        let described = try await cluster.kubectl(["describe", pod, "-n", "shop"])
        #expect(described.stdout.contains("Successfully assigned shop/"), "\(described.output)")

        let deleted = try await cluster.kubectl(["delete", "namespace", "shop", "--timeout=60s"])
        #expect(deleted.status == 0, "\(deleted.output)")
        #expect(await cluster.server.object(apiVersion: "v1", kind: "Namespace", namespace: nil, name: "shop") == nil)
        #expect(await cluster.server.objects(apiVersion: "v1", kind: "Pod", namespace: "shop").isEmpty)
    }
}
