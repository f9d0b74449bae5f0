import Foundation
import TandemJSON
import TandemTestSupport
import Testing

/// `tandem up --local`, `status`, `logs` and `down` as a user runs them, on the real podman with
/// the busybox image of scripts/busybox-image.sh: the sidecar trait's promises, seen working.
@Suite(.serialized, .enabled(if: LocalRuntimeHarness.available, LocalRuntimeHarness.skipReason))
struct LocalEndToEndTests {
    typealias Harness = LocalRuntimeHarness

    static func application(_ name: String, _ components: String) -> String {
        "apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata:\n  name: \(name)\nspec:\n  components:\n" + components
    }

    @Test func logExportTheSidecarShipsWhatTheWorkerWrites() throws {
        let harness = try Harness("e2e-logs")
        defer { harness.cleanUp() }
        let file = try harness.file("app.yaml", Self.application("e2e-logs", """
                - name: app
                  type: worker
                  properties:
                    image: busybox:1.36
                    cmd: ["sh", "-c", "i=0; while true; do i=$((i+1)); echo \\"order $i processed\\" >> /var/log/app/app.log; sleep 0.3; done"]
                    volumeMounts:
                      emptyDir: [{name: logs, mountPath: /var/log/app}]
                  traits:
                    - type: sidecar
                      properties:
                        name: log-shipper
                        image: busybox:1.36
                        cmd: ["sh", "-c", "touch /logs/app.log; tail -n +1 -f /logs/app.log"]
                        volumes: [{name: logs, path: /logs}]
            """))
        let up = try harness.tandem(["up", "--local", file, "-d", "--timeout", "60s"])
        try #require(up.status == 0, "\(up.output)")
        #expect(up.stdout.contains("application e2e-logs is ready"), "\(up.stdout)")
        let logs = try harness.logs(["-c", "log-shipper"], until: "order 3 processed")
        #expect(logs.contains("order 3 processed"), "\(logs)")
        #expect(logs.hasPrefix("order 1 processed\n"), "one container's lines come as written: \(logs)")
        let all = try harness.tandem(["logs", "--local", "e2e-logs", "--tail", "1"])
        #expect(all.stdout.contains("app/log-shipper | order"), "\(all.output)")
    }

    @Test func proxyTheMainContainerFetchesThroughItsSidecarOnLocalhost() throws {
        let harness = try Harness("e2e-proxy")
        defer { harness.cleanUp() }
        let file = try harness.file("app.yaml", Self.application("e2e-proxy", """
                - name: client
                  type: worker
                  properties:
                    image: busybox:1.36
                    cmd: ["sh", "-c", "while true; do wget -q -O - http://localhost:8081/secret.txt; echo; sleep 0.5; done"]
                  traits:
                    - type: sidecar
                      properties:
                        name: proxy
                        image: busybox:1.36
                        cmd: ["sh", "-c", "mkdir -p /www && echo 'fetched through the sidecar' > /www/secret.txt && httpd -f -p 8081 -h /www"]
                        ports: [{port: 8081, name: http}]
                        readinessProbe:
                          httpGet: {path: /secret.txt, port: http}
                          periodSeconds: 1
                        livenessProbe:
                          tcpSocket: {port: 8081}
                          periodSeconds: 1
            """))
        let up = try harness.tandem(["up", "--local", file, "-d", "--timeout", "60s"])
        try #require(up.status == 0, "\(up.output)")
        let logs = try harness.logs(["-c", "client"], until: "fetched through the sidecar")
        #expect(logs.contains("fetched through the sidecar"), "\(logs)")
        let status = try harness.status()
        let probes = status["probes"]?.array ?? []
        #expect(probes.contains { $0["probe"] == "readiness" && $0["result"] == "success" }, "\(probes)")
        #expect(probes.contains { $0["probe"] == "liveness" && $0["result"] == "success" && $0["handler"]?.string?.contains("tcp-socket") == true },
                "\(probes)")
    }

    @Test func environmentTheSidecarSeesAValueAConfigMapKeyAndASecretKey() throws {
        let harness = try Harness("e2e-env")
        defer { harness.cleanUp() }
        let file = try harness.file("app.yaml", Self.application("e2e-env", """
                - name: my-comp
                  type: worker
                  properties:
                    image: busybox:1.36
                    cmd: ["sleep", "3600"]
                  traits:
                    - type: sidecar
                      properties:
                        name: trait-name
                        image: busybox:1.36
                        cmd: ["sh", "-c", "echo \\"ENV_1=$ENV_1 ENV_2=$ENV_2 ENV_3=$ENV_3 POD=$POD\\"; sleep 3600"]
                        env:
                          - {name: ENV_1, value: value1}
                          - name: ENV_2
                            valueFrom: {secretKeyRef: {name: mysecret, key: username}}
                          - name: ENV_3
                            valueFrom: {configMapKeyRef: {name: game-demo, key: player_initial_lives}}
                          - name: POD
                            valueFrom: {fieldRef: {fieldPath: metadata.name}}
            """))
        let references = try harness.file("references.yaml", """
            apiVersion: v1
            kind: Secret
            metadata: {name: mysecret}
            stringData: {username: admin}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: game-demo}
            data: {player_initial_lives: "3"}
            """)
        let up = try harness.tandem(["up", "--local", file, "--with", references, "-d", "--timeout", "60s"])
        try #require(up.status == 0, "\(up.output)")
        let logs = try harness.logs(["-c", "trait-name"], until: "ENV_1")
        #expect(logs == "ENV_1=value1 ENV_2=admin ENV_3=3 POD=my-comp-0\n", "\(logs)")
        // The value travels as a podman secret, never on a command line that `ps` could show
        // (podman itself puts it in the container's environment, as the kubelet does).
        let inspect = try harness.podman(["inspect", "--format", "{{json .Config.CreateCommand}}", "e2e-env_my-comp-0_trait-name"])
        #expect(inspect.stdout.contains("type=env,target=ENV_2"), "\(inspect.stdout)")
        #expect(!inspect.stdout.contains("admin"), "the Secret's value is not on podman's command line: \(inspect.stdout)")
        // What the README says podman shows of it: the running container's environment, nothing else.
        let everything = try harness.podman(["inspect", "e2e-env_my-comp-0_trait-name"]).stdout
        let showing = everything.split(separator: "\n").filter { $0.contains("admin") }.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " ,")) }
        #expect(showing == ["\"ENV_2=admin\""], "\(showing)")
    }

    @Test func livenessAFailingSidecarIsRestartedAndStatusSaysWhy() throws {
        let harness = try Harness("e2e-liveness")
        defer { harness.cleanUp() }
        let file = try harness.file("app.yaml", Self.application("e2e-liveness", """
                - name: web
                  type: worker
                  properties:
                    image: busybox:1.36
                    cmd: ["sleep", "3600"]
                  traits:
                    - type: sidecar
                      properties:
                        name: agent
                        image: busybox:1.36
                        cmd: ["sh", "-c", "touch /tmp/healthy; sleep 3; rm /tmp/healthy; sleep 3600"]
                        livenessProbe:
                          exec: {command: ["cat", "/tmp/healthy"]}
                          periodSeconds: 1
                          failureThreshold: 2
            """))
        let up = try harness.tandem(["up", "--local", file, "-d", "--timeout", "60s"])
        try #require(up.status == 0, "\(up.output)")
        var status: JSONValue = .null
        let restarted = try harness.eventually(30) {
            status = try harness.status()
            return (Harness.container(status, "agent")?["restarts"]?.int ?? 0) >= 1
        }
        #expect(restarted, "\(status)")
        let liveness = (status["probes"]?.array ?? []).first { $0["container"] == "agent" && $0["probe"] == "liveness" }
        #expect(Harness.container(status, "agent")?["role"] == "sidecar")
        let text = try harness.tandem(["status", "--local", "e2e-liveness"])
        #expect(text.stdout.contains("agent"), "\(text.stdout)")
        #expect(text.stdout.contains("liveness"), "\(text.stdout)")
        #expect(text.stdout.contains("exec [cat /tmp/healthy]"), "\(text.stdout)")
        // The failure the restart was for is in the events, with the probe's own words.
        let messages = (status["warnings"]?.array ?? []).compactMap(\.string).joined(separator: "\n")
            + (liveness?["message"]?.string ?? "")
        #expect(messages.contains("/tmp/healthy"), "\(status)")
    }

    @Test func readinessUpWaitsForTheSidecarToBeReady() throws {
        let harness = try Harness("e2e-ready")
        defer { harness.cleanUp() }
        let file = try harness.file("app.yaml", Self.application("e2e-ready", """
                - name: web
                  type: worker
                  properties:
                    image: busybox:1.36
                    cmd: ["sleep", "3600"]
                  traits:
                    - type: sidecar
                      properties:
                        name: warmup
                        image: busybox:1.36
                        cmd: ["sh", "-c", "sleep 3; touch /tmp/ready; sleep 3600"]
                        readinessProbe:
                          exec: {command: ["test", "-f", "/tmp/ready"]}
                          periodSeconds: 1
            """))
        let start = Date()
        let up = try harness.tandem(["up", "--local", file, "-d", "--timeout", "60s"])
        let elapsed = Date().timeIntervalSince(start)
        try #require(up.status == 0, "\(up.output)")
        #expect(elapsed >= 3, "up returned after \(elapsed) s, before the sidecar could be ready")
        let status = try harness.status()
        #expect(Harness.container(status, "warmup")?["ready"] == true, "\(status)")
        #expect(status["healthy"] == true)
    }

    @Test func aTaskWithANativeSidecarCompletesAndItsSidecarIsStopped() throws {
        let harness = try Harness("e2e-task")
        defer { harness.cleanUp() }
        let file = try harness.file("app.yaml", Self.application("e2e-task", """
                - name: migrate
                  type: task
                  properties:
                    image: busybox:1.36
                    cmd: ["sh", "-c", "sleep 1; echo migration done"]
                  traits:
                    - type: sidecar
                      properties:
                        name: proxy
                        image: busybox:1.36
                        cmd: ["sleep", "3600"]
            """))
        let up = try harness.tandem(["up", "--local", file, "-d", "--timeout", "60s"])
        try #require(up.status == 0, "\(up.output)")
        let status = try harness.status()
        let workload = status["components"]?.array?.first?["workload"]
        #expect(workload?["kind"] == "Job")
        #expect(workload?["message"]?.string?.hasPrefix("Job Completed") == true, "\(status)")
        #expect(Harness.container(status, "proxy")?["role"] == "native-sidecar")
        #expect(Harness.container(status, "proxy")?["state"] == "terminated", "\(status)")
        let state = try harness.podman(["inspect", "--format", "{{.State.Status}}", "e2e-task_e2e-task-migrate-0_proxy"])
        #expect(state.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "exited", "\(state.output)")
        // The native sidecar started before the main container.
        let started = try ["proxy", "migrate"].map { name in
            try harness.podman(["inspect", "--format", "{{.State.StartedAt.UnixNano}}", "e2e-task_e2e-task-migrate-0_\(name)"]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect((Int(started[0]) ?? .max) < (Int(started[1]) ?? 0), "\(started)")
        let logs = try harness.tandem(["logs", "--local", "e2e-task", "-c", "migrate"])
        #expect(logs.stdout == "migration done\n")
    }

    @Test func aMissingImageOrSecretKeyIsNamedAndLeavesNothingBehind() throws {
        let harness = try Harness("e2e-refused")
        defer { harness.cleanUp() }
        let missingImage = try harness.file("image.yaml", Self.application("e2e-refused", """
                - name: web
                  type: worker
                  properties:
                    image: localhost/tandem-test-missing:1
            """))
        let image = try harness.tandem(["up", "--local", missingImage, "-d", "--timeout", "60s"])
        #expect(image.status == 2, "\(image.output)")
        #expect(image.stderr.contains("ErrImageNeverPull: image localhost/tandem-test-missing:1 is not present locally "
            + "(the local runtime pulls nothing)"), "\(image.stderr)")
        #expect(!image.stderr.contains("initializing source") && !image.stderr.contains("pinging container registry"), "no registry is tried: \(image.stderr)")
        #expect(image.stderr.contains("podman load"), "\(image.stderr)")
        #expect(try harness.leftovers().isEmpty)

        let missingKey = try harness.file("key.yaml", Self.application("e2e-refused", """
                - name: web
                  type: worker
                  properties:
                    image: busybox:1.36
                    cmd: ["sleep", "3600"]
                  traits:
                    - type: sidecar
                      properties:
                        name: db-proxy
                        image: busybox:1.36
                        env:
                          - name: PASSWORD
                            valueFrom: {secretKeyRef: {name: creds, key: password}}
            """))
        let secret = try harness.file("creds.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: creds}\nstringData: {user: admin}\n")
        let key = try harness.tandem(["up", "--local", missingKey, "--with", secret, "-d", "--timeout", "60s"])
        #expect(key.status == 2, "\(key.output)")
        #expect(key.stderr.contains("sidecar 'db-proxy' in pod web-0 (component 'web'): CreateContainerConfigError: "
            + "couldn't find key password in Secret default/creds"), "\(key.stderr)")
        #expect(key.stderr.contains("hint: define it in the application (a k8s-objects component), or give it with --with FILE"), "\(key.stderr)")
        #expect(try harness.leftovers().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: harness.directory.appendingPathComponent("state/e2e-refused").path))
    }

    @Test func downLeavesPodmanExactlyAsItWas() throws {
        let harness = try Harness("e2e-down")
        defer { harness.cleanUp() }
        let before = try harness.podmanInventory()
        let file = try harness.file("app.yaml", Self.application("e2e-down", """
                - name: store
                  type: worker
                  properties:
                    image: busybox:1.36
                    cmd: ["sh", "-c", "cat /config/greeting; sleep 3600"]
                    volumeMounts:
                      emptyDir: [{name: scratch, mountPath: /scratch}]
                      pvc: [{name: data, claimName: store-data, mountPath: /data}]
                      configMap: [{name: config, cmName: greeting, mountPath: /config}]
                  traits:
                    - type: sidecar
                      properties:
                        name: backup
                        image: busybox:1.36
                        cmd: ["sh", "-c", "cat /creds/token; sleep 3600"]
                        env:
                          - name: TOKEN
                            valueFrom: {secretKeyRef: {name: creds, key: token}}
                        volumes: [{name: data, path: /data}]
            """))
        let references = try harness.file("references.yaml", """
            apiVersion: v1
            kind: Secret
            metadata: {name: creds}
            stringData: {token: t0ken}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: greeting}
            data: {greeting: hello}
            """)
        let up = try harness.tandem(["up", "--local", file, "--with", references, "-d", "--timeout", "60s"])
        try #require(up.status == 0, "\(up.output)")
        let during = try harness.podmanInventory()
        #expect(during != before)
        #expect(during[2].contains("e2e-down_claim_store-data"), "\(during)")
        #expect(during[3].contains("e2e-down_secret_creds_token"), "\(during)")
        let down = try harness.tandem(["down", "--local", "e2e-down"])
        #expect(down.status == 0, "\(down.output)")
        #expect(down.stdout.contains("application e2e-down stopped and removed"), "\(down.stdout)")
        #expect(try harness.podmanInventory() == before)
        let again = try harness.tandem(["down", "--local", "e2e-down"])
        #expect(again.stdout.contains("not running locally"), "\(again.output)")
    }

    @Test func theForegroundStreamsPrefixedLogsAndCtrlCRemovesEverything() throws {
        let harness = try Harness("e2e-foreground")
        defer { harness.cleanUp() }
        let file = try harness.file("app.yaml", Self.application("e2e-foreground", """
                - name: app
                  type: worker
                  properties:
                    image: busybox:1.36
                    cmd: ["sh", "-c", "while true; do echo tick; sleep 0.3; done"]
            """))
        let process = Process()
        process.executableURL = Tandem.executable
        process.arguments = ["up", "--local", file, "--timeout", "60s"]
        process.environment = ProcessInfo.processInfo.environment.merging(harness.environment) { _, new in new }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, !text.contains("app/app | tick") {
            let chunk = output.fileHandleForReading.availableDataRetryingInterrupts()
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        #expect(text.contains("app/app | tick"), "\(text)")
        kill(process.processIdentifier, SIGINT)
        text += String(decoding: output.fileHandleForReading.readAllRetryingInterrupts(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130, "\(text)")
        #expect(text.contains("application e2e-foreground stopped and removed"), "\(text)")
        #expect(try harness.leftovers().isEmpty)
    }
}

@Suite struct LocalRuntimeInstallationTests {
    @Test func podmanIsThereWhereTheTestsMustRun() {
        // CI installs podman (.ci/run): there, a missing one fails rather than skipping the suite.
        if ProcessInfo.processInfo.environment["CI"] != nil {
            #expect(LocalRuntimeHarness.available, LocalRuntimeHarness.skipReason)
        }
    }
}
