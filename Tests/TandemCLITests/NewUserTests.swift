import Foundation
import TandemTestSupport
import Testing

/// What a new user does first, with kubectl's, vela's and helm's habits and the mistakes people
/// really make: each test here failed before it was fixed.
@Suite("A new user's first steps")
struct NewUserTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    /// Writes `text` to a temporary file and returns its path.
    static func file(_ text: String, name: String = "app.yaml") throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-user-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static func application(_ components: String, name: String = "shop") -> String {
        "apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata: {name: \(name)}\nspec:\n  components:\n" + components
    }

    @Test("every documented flag spelling works on render and validate", arguments: [
        ["-f", "FILE"], ["--filename", "FILE"], ["FILE", "-o", "json"], ["FILE", "--output", "yaml"], ["FILE", "-n", "team-a"],
        ["FILE", "--namespace", "team-a"], ["FILE", "--kube-version", "1.29"], ["FILE", "--diagnostics", "json"],
        ["FILE", "--max-input-bytes", "100000"], ["FILE", "-j", "1"], ["FILE", "--jobs", "2"], ["-f", "FILE", "-f", "FILE2"],
    ])
    func flagSpellings(_ arguments: [String]) throws {
        let file = Self.fixture("01-minimal.yaml")
        let second = try Self.file(Self.application("    - {name: other, type: worker, properties: {image: x}}\n", name: "other"))
        let resolved = arguments.map { $0 == "FILE" ? file : $0 == "FILE2" ? second : $0 }
        for command in ["render", "validate"] where !(command == "validate" && resolved.contains("-o") || resolved.contains("--output")) {
            let run = try Tandem.run([command] + resolved)
            #expect(run.status == 0, "\(command) \(resolved): \(run.stderr)")
        }
    }

    @Test("a full disk is one line on stderr and exit code 2", arguments: [["render", "FILE"], ["validate", "FILE"], ["schema"], ["definitions"]])
    func fullDisk(_ arguments: [String]) throws {
        let command = arguments.map { $0 == "FILE" ? Self.fixture("01-minimal.yaml") : $0 }
        let run = try runProcess(["sh", "-c", "\"$0\" \"$@\" > /dev/full", Tandem.executable.path] + command)
        #expect(run.status == 2)
        #expect(run.stderr == "tandem: cannot write to standard output: No space left on device\n")
    }

    @Test("a closed standard output is one line on stderr and exit code 2")
    func closedOutput() throws {
        let run = try runProcess(["sh", "-c", "\"$0\" render \"$1\" >&-", Tandem.executable.path, Self.fixture("01-minimal.yaml")])
        #expect(run.status == 2)
        #expect(run.stderr == "tandem: cannot write to standard output: Bad file descriptor\n")
    }

    @Test("a reader that stops early (| head) ends the output quietly")
    func brokenPipe() throws {
        let many = (0..<400).map { index in
            "---\n" + Self.application("    - {name: c\(index), type: worker, properties: {image: x}}\n", name: "app-\(index)")
        }.joined()
        let file = try Self.file(many)
        let run = try runProcess(["sh", "-c", "\"$0\" render \"$1\" | head -1", Tandem.executable.path, file])
        #expect(run.status == 0)
        #expect(run.stdout == "---\n")
        #expect(run.stderr.isEmpty)
    }

    @Test("docs into a directory that cannot be made says so in a sentence")
    func docsUnwritable() throws {
        let run = try Tandem.run(["docs", "/proc/nope"])
        #expect(run.status == 2)
        #expect(run.stderr == "tandem: cannot write the reference manual to /proc/nope: no such file or directory\n")
    }

    @Test("a probe with two handlers is told which two to choose from")
    func probeHint() throws {
        let run = try Tandem.run(["validate", Self.fixture("03-probes.yaml")])
        #expect(run.stderr.contains("  hint: keep one of 'exec' and 'httpGet'\n"))
        #expect(!run.stderr.contains("seed"))
    }

    @Test("the examples directory renders; the seed's invalid examples are named so and fail as documented")
    func examples() throws {
        let examples = PackagePaths.root.appendingPathComponent("examples")
        let all = try Tandem.run(["render", examples.path])
        #expect(all.status == 0, "\(all.stderr)")
        for name in ["03-probes.invalid.yaml", "04-full.invalid.yaml"] {
            let run = try Tandem.run(["validate", examples.appendingPathComponent("seed/\(name)").path])
            #expect(run.status == 1)
            #expect(run.stderr.hasSuffix("tandem: invalid: 2 errors, 0 warnings\n"))
        }
        for name in ["01-minimal.yaml", "02-volumes.yaml"] {
            #expect(try Tandem.run(["render", examples.appendingPathComponent("seed/\(name)").path]).status == 0)
        }
    }

    @Test("a gateway on a webservice that exposes its port routes to the component's own Service")
    func gatewayOnExposedPort() throws {
        let file = try Self.file(Self.application("""
                - name: web
                  type: webservice
                  properties: {image: nginx, ports: [{port: 80, expose: true}]}
                  traits:
                    - {type: gateway, properties: {domain: shop.example.com, http: {/: 80}}}

            """))
        let run = try Tandem.run(["render", file])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.components(separatedBy: "kind: Service\n").count == 2)
        #expect(run.stdout.contains("                name: web\n                port:\n                  number: 80"))
    }

    @Test("an expose trait colliding with the component's Service is told the ways out")
    func exposeCollision() throws {
        let file = try Self.file(Self.application("""
                - name: web
                  type: webservice
                  properties: {image: nginx, ports: [{port: 80, expose: true}]}
                  traits:
                    - {type: expose, properties: {ports: [{port: 8080}]}}

            """))
        let run = try Tandem.run(["validate", file])
        #expect(run.status == 1)
        #expect(run.stderr.contains("hint: the component's own Service (for its ports marked expose: true) has this name"))
    }

    @Test("values that would be dropped or misread are said: node ports, unknown route ports, cpu in cores")
    func droppedValues() throws {
        let file = try Self.file(Self.application("""
                - name: web
                  type: webservice
                  properties: {image: nginx, ports: [{port: 80, expose: true, nodePort: 30080}], cpu: 500}
                - name: api
                  type: webservice
                  properties: {image: api, ports: [{port: 8080}]}
                  traits:
                    - {type: gateway, properties: {http: {/: 9090}}}

            """))
        let run = try Tandem.run(["render", file])
        #expect(run.status == 0)
        #expect(run.stderr.contains("warning: components[0].properties.ports[0].nodePort: nodePort 30080 is left out: exposeType is ClusterIP"))
        #expect(run.stderr.contains("warning: components[0].properties.cpu: cpu 500 asks for 500 cores"))
        #expect(run.stderr.contains("hint: for millicores write 500m"))
        #expect(run.stderr.contains("warning: components[1].traits[0].properties.http[\"/\"]: routes / to port 9090, which no container of the pod declares"))
    }

    @Test("objects given whole are checked where Tandem knows their kind")
    func kubernetesObjects() throws {
        let file = try Self.file(Self.application("""
                - name: objects
                  type: k8s-objects
                  properties:
                    objects:
                      - {apiVersion: v1, kind: ConfigMap, metadata: {name: settings}, data: {retries: 3}}
                      - apiVersion: apps/v1
                        kind: Deployment
                        metadata: {name: web}
                        spec: {replicas: "two", selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: web, image: nginx}]}}}

            """))
        let run = try Tandem.run(["validate", file])
        #expect(run.status == 1)
        #expect(run.stderr.contains(":10:91: error: components[0].properties.objects[0].data.retries: expected a string, found an integer ('3')"))
        #expect(run.stderr.contains("objects[1].spec.replicas: expected an integer, found a string ('two')"))
    }

    @Test("hints that help: a leading zero, a misplaced traits:, a KubeVela name, a bare port, Kubernetes' capabilities")
    func hints() throws {
        let file = try Self.file(Self.application("""
                - name: web
                  type: worker
                  properties:
                    image: nginx
                    readinessProbe: {tcpSocket: {port: 080}}
                    traits:
                      - type: scaler
                - name: api
                  type: worker
                  properties: {image: api}
                  traits:
                    - type: autoscaler
                    - {type: expose, properties: {ports: [5432]}}
                    - {type: securitycontext, properties: {capabilities: {add: [NET_ADMIN]}}}

            """))
        let run = try Tandem.run(["validate", file])
        #expect(run.stderr.contains("080 has a leading zero, which YAML readers do not agree on\n  hint: write 80 without the leading zero"))
        #expect(!run.stderr.contains("0o80"))
        #expect(run.stderr.contains("hint: 'traits' belongs to the component, one level up: indent it like 'properties', not under it"))
        #expect(run.stderr.contains("unknown trait type 'autoscaler'; did you mean 'hpa'?"))
        #expect(run.stderr.contains("hint: write it as a mapping: {port: 5432}"))
        #expect(run.stderr.contains("hint: Kubernetes' capabilities.add and capabilities.drop are written addCapabilities and dropCapabilities here"))
    }

    @Test("a request above its limit is reported with the file's other errors")
    func crossFieldChecksFirstTime() throws {
        let file = try Self.file(Self.application("""
                - name: web
                  type: webservice
                  properties: {image: nginx, cpu: 500m, limit: {cpu: 250m}}
                - name: api
                  type: worker
                  properties: {image: api, imagee: typo}

            """))
        let run = try Tandem.run(["validate", file])
        #expect(run.stderr.contains("components[0].properties.limit: the cpu request 500m is above its limit 250m"))
        #expect(run.stderr.contains("components[1].properties.imagee: unknown property 'imagee'"))
    }

    @Test("multi-line text comes out as a block a person can read")
    func multiLine() throws {
        let file = try Self.file(Self.application("""
                - name: config
                  type: k8s-objects
                  properties:
                    objects:
                      - {apiVersion: v1, kind: ConfigMap, metadata: {name: scripts}, data: {run.sh: "#!/bin/sh\\necho ready\\n"}}

            """))
        let run = try Tandem.run(["render", file])
        #expect(run.stdout.contains("data:\n  run.sh: |\n    #!/bin/sh\n    echo ready\n"))
    }

    @Test("-n sets the namespace of Applications that name none, and refuses one that names another")
    func namespaceFlag() throws {
        let run = try Tandem.run(["render", "-n", "team-a", Self.fixture("01-minimal.yaml")])
        #expect(run.stdout.contains("  namespace: team-a\n"))
        let file = try Self.file("apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata: {name: a, namespace: prod}\nspec:\n  components:\n    - {name: c, type: worker, properties: {image: x}}\n")
        let other = try Tandem.run(["render", "--namespace", "team-a", file])
        #expect(other.status == 1)
        #expect(other.stderr.contains("the Application's namespace 'prod' differs from the namespace asked for (team-a)"))
    }

    @Test("completion scripts for bash, zsh and fish", arguments: ["bash", "zsh", "fish"])
    func completion(_ shell: String) throws {
        let run = try Tandem.run(["completion", shell])
        #expect(run.status == 0)
        #expect(run.stdout.contains("tandem"))
        #expect(run.stdout.contains("render"))
    }

    @Test("version names Tandem's version, Swift and the newest Kubernetes")
    func version() throws {
        let run = try Tandem.run(["version"])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("tandem 0."))
        #expect(run.stdout.contains("Swift"))
        #expect(run.stdout.contains("to 1.37"))
    }

    @Test("--diagnostics json goes to stderr and names the file that is missing")
    func jsonDiagnosticsForMissingFile() throws {
        let run = try Tandem.run(["validate", "--diagnostics", "json", "missing.yaml"])
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        let diagnostics = try #require(try JSONSerialization.jsonObject(with: Data(run.stderr.utf8)) as? [[String: Any]])
        #expect(diagnostics.first?["file"] as? String == "missing.yaml")
        #expect(diagnostics.first?["line"] is NSNull)
    }
}
