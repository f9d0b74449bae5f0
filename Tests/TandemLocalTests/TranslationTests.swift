import Foundation
import TandemJSON
@testable import TandemLocal
import TandemRendering
import Testing

/// What `up --local` will ask of podman, worked out without podman: pods, containers and their
/// roles, volumes, environment, resources, probes, and the problems found before anything starts.
@Suite struct TranslationTests {
    static func render(_ text: String) throws -> RenderedApplication {
        let result = RenderPipeline().render([SourceFile(name: "app.yaml", text: text)])
        try #require(!result.hasErrors, "\(result.diagnostics)")
        return try #require(result.outputs.first)
    }

    static func plan(_ text: String, with extra: String? = nil, options: LocalTranslator.Options = .init(nodeName: "laptop"))
        throws -> Result<LocalPlan, LocalProblems> {
        let application = try render(text)
        var sources = LocalTranslator.sources(of: application)
        if let extra {
            let diagnostics = WithFiles.add(Array(extra.utf8), file: "with.yaml", to: &sources)
            #expect(diagnostics.isEmpty, "\(diagnostics)")
        }
        return LocalTranslator(options: options).translate(application, sources: sources)
    }

    static let logShipping = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata: {name: shipping}
        spec:
          components:
            - name: app
              type: worker
              properties:
                image: busybox:1.36
                cmd: ["sh", "-c", "echo hi >> /var/log/app/app.log; sleep 3600"]
                volumeMounts:
                  emptyDir:
                    - {name: logs, mountPath: /var/log/app}
              traits:
                - type: sidecar
                  properties:
                    name: log-shipper
                    image: busybox:1.36
                    cmd: ["tail", "-f", "/logs/app.log"]
                    volumes: [{name: logs, path: /logs}]
                    cpu: 50m
                    memory: 32Mi
                    readinessProbe:
                      exec: {command: ["test", "-f", "/logs/app.log"]}
                      periodSeconds: 2
        """

    @Test func aWorkerWithASidecarIsOnePodSharingItsVolume() throws {
        let plan = try Self.plan(Self.logShipping).get()
        #expect(plan.pods.map(\.name) == ["app-0"])
        let pod = try #require(plan.pods.first)
        #expect(pod.podmanName == "shipping_app-0")
        #expect(pod.restartPolicy == "Always")
        #expect(pod.containers.map(\.name) == ["app", "log-shipper"])
        #expect(pod.containers.map(\.role) == ["main", "sidecar"])
        #expect(plan.volumes == [VolumePlan(name: "shipping_app-0_logs", kind: "emptyDir", inMemory: false)])
        let shipper = pod.containers[1]
        #expect(shipper.mounts.map(\.source) == [.volume("shipping_app-0_logs")])
        #expect(pod.containers[0].mounts.map(\.target) == ["/var/log/app"])
        #expect(shipper.resources == ResourceFlags(cpuShares: 51, memoryReservation: 32 * 1_048_576))
        #expect(shipper.readinessProbe?.handler == .exec(["test", "-f", "/logs/app.log"]))
        #expect(shipper.readinessProbe?.periodSeconds == 2)
        #expect(shipper.readinessProbe?.failureThreshold == 3)

        let arguments = PodmanArguments(plan: plan, stateDirectory: "/state").createContainer(shipper, in: pod, podIP: nil)
        #expect(arguments.starts(with: ["create", "--pod", "shipping_app-0", "--name", "shipping_app-0_log-shipper"]))
        #expect(arguments.contains("\(LocalNames.appLabel)=shipping"))
        #expect(arguments.contains("shipping_app-0_logs:/logs"))
        #expect(arguments.contains("path=/state/logs/shipping_app-0_log-shipper.log"))
        #expect(Array(arguments.suffix(3)) == ["--entrypoint", #"["tail","-f","/logs/app.log"]"#, "busybox:1.36"])
        let podArguments = PodmanArguments(plan: plan, stateDirectory: "/state").createPod(pod)
        #expect(podArguments.starts(with: ["pod", "create", "--name", "shipping_app-0", "--hostname", "app-0"]))
        #expect(!podArguments.contains("--publish"), "ports are published only when asked")
    }

    static let seedWithEnvironment = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata: {name: my-app}
        spec:
          components:
            - name: my-comp
              type: worker
              properties:
                image: busybox:1.36
              traits:
                - type: sidecar
                  properties:
                    name: trait-name
                    image: busybox:1.36
                    limit: {memory: 64Mi}
                    env:
                      - {name: ENV_1, value: value1}
                      - name: ENV_2
                        valueFrom: {secretKeyRef: {name: mysecret, key: username}}
                      - name: ENV_3
                        valueFrom: {configMapKeyRef: {name: game-demo, key: player_initial_lives}}
                      - name: POD
                        valueFrom: {fieldRef: {fieldPath: metadata.name}}
                      - name: MEMORY_MB
                        valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}
                      - name: GREETING
                        value: "$(ENV_1) from $(POD)"
        """

    static let seedReferences = """
        apiVersion: v1
        kind: Secret
        metadata: {name: mysecret}
        data: {username: YWRtaW4=}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: game-demo}
        data: {player_initial_lives: "3"}
        """

    @Test func environmentComesFromValuesSecretsConfigMapsAndTheDownwardAPI() throws {
        let plan = try Self.plan(Self.seedWithEnvironment, with: Self.seedReferences).get()
        let sidecar = try #require(plan.pods.first?.containers.last)
        let secret = LocalNames.secret("my-app", "mysecret", "username")
        #expect(sidecar.environment == [
            EnvironmentVariable(name: "ENV_1", source: .value("value1")),
            EnvironmentVariable(name: "ENV_2", source: .secret(secret)),
            EnvironmentVariable(name: "ENV_3", source: .value("3")),
            EnvironmentVariable(name: "POD", source: .value("my-comp-0")),
            EnvironmentVariable(name: "MEMORY_MB", source: .value("64")),
            EnvironmentVariable(name: "GREETING", source: .value("value1 from my-comp-0")),
        ])
        #expect(plan.secrets == [SecretPlan(name: secret, value: Data("admin".utf8))])
        let arguments = PodmanArguments(plan: plan, stateDirectory: "/state").createContainer(sidecar, in: plan.pods[0], podIP: nil)
        #expect(arguments.contains("\(secret),type=env,target=ENV_2"))
        #expect(!arguments.contains { $0.contains("admin") }, "a Secret's value never appears on podman's command line")
        #expect(arguments.contains("--memory") && arguments.contains(String(64 * 1_048_576)))
    }

    @Test func aMissingSecretOrKeyIsNamedAsKubernetesNamesIt() throws {
        let missingAll = try Self.plan(Self.seedWithEnvironment)
        guard case .failure(let problems) = missingAll else { Issue.record("translated without its Secret"); return }
        let texts = problems.problems.map(\.description)
        #expect(texts.contains { $0.contains("sidecar 'trait-name' in pod my-comp-0 (component 'my-comp'): CreateContainerConfigError: secret \"mysecret\" not found") },
                "\(texts)")
        #expect(texts.contains { $0.contains("configmap \"game-demo\" not found") })
        // The library names no flag: giving the object from outside is a remedy each presenter words.
        #expect(!texts.contains { $0.contains("--") }, "\(texts)")
        #expect(problems.problems.allSatisfy { $0.remedy == .supplyObject && $0.hint == "define it in the application (a k8s-objects component)" })

        let wrongKey = Self.seedReferences.replacingOccurrences(of: "username: YWRtaW4=", with: "user: YWRtaW4=")
        guard case .failure(let keyProblems) = try Self.plan(Self.seedWithEnvironment, with: wrongKey) else {
            Issue.record("translated without its Secret key"); return
        }
        #expect(keyProblems.problems.map(\.message) == ["couldn't find key username in Secret default/mysecret"])
        #expect(keyProblems.problems.first?.reason == "CreateContainerConfigError")
    }

    @Test func aTaskRunsItsNativeSidecarFirstAndRunsOnce() throws {
        let plan = try Self.plan("""
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata: {name: batch}
            spec:
              components:
                - name: migrate
                  type: task
                  properties:
                    image: busybox:1.36
                    cmd: ["sh", "-c", "echo done"]
                  traits:
                    - type: sidecar
                      properties:
                        name: proxy
                        image: busybox:1.36
                        cmd: ["sleep", "3600"]
            """).get()
        let pod = try #require(plan.pods.first)
        #expect(pod.kind == .job)
        #expect(pod.initContainers.map(\.role) == ["native-sidecar"])
        #expect(pod.containers.map(\.role) == ["main"])
        #expect(pod.restartPolicy != "Always")
        #expect(plan.workloads.first?.kind == .job)
    }

    @Test func replicasBecomePodsWithOrdinalsAndCronJobsRunOnlyWhenAsked() throws {
        let text = """
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata: {name: fleet}
            spec:
              components:
                - name: web
                  type: webservice
                  properties:
                    image: busybox:1.36
                    ports: [{port: 8080, expose: true}]
                  traits:
                    - type: scaler
                      properties: {replicas: 2}
                - name: nightly
                  type: cron-task
                  properties:
                    image: busybox:1.36
                    schedule: "0 3 * * *"
            """
        let plan = try Self.plan(text).get()
        #expect(plan.pods.map(\.name) == ["web-0", "web-1"])
        #expect(plan.notes.contains { $0.contains("cronjob/nightly is not run") })
        #expect(plan.services.map(\.name) == ["web"], "a Service runs locally: \(plan.notes)")

        let published = try Self.plan(text, options: .init(publish: true, runCronJobs: true, nodeName: "laptop")).get()
        #expect(published.pods.map(\.name) == ["web-0", "web-1", "nightly-0"])
        // The port its Service reaches is published through the Service, for every replica, not by the first pod.
        #expect(published.pods.allSatisfy { $0.publish.isEmpty }, "\(published.pods.map(\.publish))")
        #expect(published.pods[2].kind == .job)
        let service = try #require(published.services.first)
        let arguments = PodmanArguments(plan: published, stateDirectory: "/s").createServicePod(service)
        #expect(arguments.contains("8080:8080/tcp"))
    }

    @Test func probesWithNamedPortsAreResolved() throws {
        let json = try JSONReader().read(#"{"httpGet": {"path": "/healthz", "port": "http"}, "periodSeconds": 5}"#)
        let probe = try ProbeSpec.read(json, ports: ["http": 8080]).get()
        #expect(probe.handler == .httpGet(ProbeSpec.HTTPGet(path: "/healthz", port: 8080, host: nil, scheme: "HTTP", headers: [])))
        #expect(probe.periodSeconds == 5 && probe.timeoutSeconds == 1 && probe.failureThreshold == 3)
        #expect(NetworkProbe.arguments(for: probe.handler, podIP: "10.88.0.7", timeoutSeconds: 1)
            == ["--timeout", "1", "--kind", "http", "--host", "10.88.0.7", "--port", "8080", "--path", "/healthz", "--scheme", "HTTP"])
        guard case .failure(let problem) = ProbeSpec.read(json, ports: [:]) else { Issue.record("an unknown port name was accepted"); return }
        #expect(problem.message.contains("'http'"))
    }

    @Test func logLinesArePutBackTogether() {
        var pending: [UInt8] = [], partial = ""
        let text = "2026-01-01T00:00:00.000000001+00:00 stdout P hello \n2026-01-01T00:00:00.000000002+00:00 stdout F world\n2026-01-01T00:00:01.0+00:00 stderr F unfin"
        let lines = LogFiles.parse(Array(text.utf8), pending: &pending, partial: &partial)
        #expect(lines.map(\.text) == ["hello world"])
        #expect(String(decoding: pending, as: UTF8.self).hasSuffix("unfin"))
        let rest = LogFiles.parse(Array("ished\n".utf8), pending: &pending, partial: &partial)
        #expect(rest.map(\.text) == ["unfinished"])
    }
}
