import Foundation
import TandemDefinitions
import TandemTestSupport
import Testing

/// Runs the built `tandem` executable as a user would, checking stdout, stderr and exit codes.
@Suite("tandem command line")
struct CLITests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    @Test("render prints YAML on stdout and exits 0")
    func renderValid() throws {
        let run = try Tandem.run(["render", Self.fixture("01-minimal.yaml")])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("---\napiVersion: apps/v1\nkind: Deployment\n"))
        #expect(run.stdout.contains("- name: trait-name"))
        #expect(run.stderr.isEmpty)
    }

    @Test("dry-run is an alias of render")
    func dryRunAlias() throws {
        let render = try Tandem.run(["render", Self.fixture("01-minimal.yaml")])
        let dryRun = try Tandem.run(["dry-run", Self.fixture("01-minimal.yaml")])
        #expect(dryRun.status == 0)
        #expect(dryRun.stdout == render.stdout)
    }

    @Test("warnings go to stderr and do not change the exit code")
    func warnings() throws {
        let run = try Tandem.run(["render", Self.fixture("02-volumes.yaml")])
        #expect(run.status == 0)
        #expect(run.stderr.contains("02-volumes.yaml:17:23: warning: components[0].traits[0].properties.volumes[0].name:"))
        #expect(run.stdout.contains("emptyDir: {}"))
    }

    @Test("invalid input: diagnostics on stderr, nothing on stdout, exit 1")
    func invalidInput() throws {
        let file = Self.fixture("03-probes.yaml")
        let run = try Tandem.run(["render", file])
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("\(file):19:15: error: components[0].traits[0].properties.livenessProbe: sets both 'exec' (line 19) and 'httpGet' (line 22)"))
        #expect(run.stderr.contains("\(file):32:15: error: components[0].traits[0].properties.readinessProbe:"))
        #expect(run.stderr.hasSuffix("tandem: 2 errors, 0 warnings; nothing rendered\n"))
    }

    @Test("one invalid file among valid ones renders nothing")
    func allOrNothing() throws {
        let run = try Tandem.run(["render", Self.fixture("01-minimal.yaml"), Self.fixture("03-probes.yaml")])
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
    }

    @Test("- reads standard input")
    func standardInput() throws {
        let input = try String(contentsOfFile: Self.fixture("01-minimal.yaml"), encoding: .utf8)
        let run = try Tandem.run(["render", "-"], stdin: input)
        #expect(run.status == 0)
        #expect(run.stdout == (try Tandem.run(["render", Self.fixture("01-minimal.yaml")])).stdout)
        let invalid = try Tandem.run(["validate", "-"], stdin: "kind: [")
        #expect(invalid.status == 1)
        #expect(invalid.stderr.hasPrefix("<stdin>:"))
    }

    @Test("-o json prints one List")
    func jsonOutput() throws {
        let run = try Tandem.run(["render", "-o", "json", Self.fixture("01-minimal.yaml")])
        #expect(run.status == 0)
        let list = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(list["kind"] as? String == "List")
        #expect(list["apiVersion"] as? String == "v1")
        let items = try #require(list["items"] as? [[String: Any]])
        #expect(items.map { $0["kind"] as? String } == ["Deployment"])
    }

    @Test("--diagnostics json prints an array of diagnostics")
    func jsonDiagnostics() throws {
        let run = try Tandem.run(["validate", "--diagnostics", "json", Self.fixture("03-probes.yaml")])
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        let diagnostics = try #require(try JSONSerialization.jsonObject(with: Data(run.stderr.utf8)) as? [[String: Any]])
        #expect(diagnostics.count == 2)
        #expect(diagnostics.first?["line"] as? Int == 19)
        #expect(diagnostics.first?["column"] as? Int == 15)
        #expect(diagnostics.first?["severity"] as? String == "error")
        #expect(diagnostics.first?["path"] as? String == "components[0].traits[0].properties.livenessProbe")
        #expect(diagnostics.first?["hint"] is String)
    }

    @Test("validate prints a summary and nothing else")
    func validateSummary() throws {
        let run = try Tandem.run(["validate", Self.fixture("01-minimal.yaml")])
        #expect(run.status == 0)
        #expect(run.stdout == "tandem: valid: 1 application, 1 component\n")
        #expect(run.stderr.isEmpty)
    }

    @Test("a directory renders every YAML file in it")
    func directory() throws {
        let run = try Tandem.run(["validate", Self.fixtures.path])
        #expect(run.status == 1)  // 03-probes is invalid
        #expect(run.stderr.contains("03-probes.yaml:19:15"))
    }

    @Test("bad usage exits 64", arguments: [
        ["render"],
        ["render", "--kube-version", "1.20", "x.yaml"],
        ["render", "--kube-version", "banana", "x.yaml"],
        ["render", "-o", "xml", "x.yaml"],
        ["frobnicate"],
    ])
    func badUsage(_ arguments: [String]) throws {
        let run = try Tandem.run(arguments)
        #expect(run.status == 64, "\(arguments): \(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    @Test("a missing file is reported, exit 1")
    func missingFile() throws {
        let run = try Tandem.run(["render", "no-such-file.yaml"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("no-such-file.yaml: error: no such file or directory"))
    }

    @Test("--kube-version below 1.29 refuses native sidecars")
    func kubeVersion() throws {
        let input = try String(contentsOfFile: Self.fixture("01-minimal.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "cmd: [\"server\", \"run\"]", with: "native: true")
        #expect(try Tandem.run(["render", "--kube-version", "1.29", "-"], stdin: input).status == 0)
        let old = try Tandem.run(["render", "--kube-version", "1.28", "-"], stdin: input)
        #expect(old.status == 1)
        #expect(old.stderr.contains("a native sidecar needs Kubernetes 1.29 or later; the target is 1.28"))
    }

    @Test("a Kubernetes newer than the newest known renders as the newest, with a note")
    func newerKubeVersion() throws {
        let run = try Tandem.run(["render", "--kube-version", "1.40", Self.fixture("01-minimal.yaml")])
        #expect(run.status == 0)
        #expect(run.stderr.contains("note: Kubernetes 1.40 is newer than the newest version tandem knows"))
        #expect(run.stdout == (try Tandem.run(["render", Self.fixture("01-minimal.yaml")])).stdout)
    }

    @Test("every command has help with an example", arguments: ["render", "validate", "definitions", "show", "schema", "docs"])
    func help(_ command: String) throws {
        let run = try Tandem.run([command, "--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("Example:"))
    }
}

@Suite("tandem catalog commands")
struct CatalogCommandTests {
    @Test("definitions lists every component type and trait, as text or JSON")
    func definitions() throws {
        let run = try Tandem.run(["definitions"])
        #expect(run.status == 0)
        let registry = DefinitionRegistry.builtIn
        let rows = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).prefix { !$0.isEmpty }
        #expect(rows.first?.hasPrefix("NAME") == true)
        #expect(rows.count == 1 + registry.componentNames.count + registry.traitNames.count)
        let sidecarRow = rows.first { $0.hasPrefix("sidecar ") }.map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        #expect(sidecarRow?.prefix(3) == ["sidecar", "trait", "*"], "the sidecar fits every component type, k8s-objects' workloads included")
        #expect(run.stdout.contains("expose                     trait      daemon, statefulset,"))
        let json = try Tandem.run(["definitions", "-o", "json"])
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(entries.count == registry.componentNames.count + registry.traitNames.count)
        #expect(entries.first { $0["name"] as? String == "sidecar" }?["appliesTo"] as? [String]
                == ["cron-task", "daemon", "k8s-objects", "raw", "statefulset", "task", "webservice", "worker"])
    }

    @Test("on a terminal, definitions and show fit its width", arguments: [60, 80, 120])
    func fitsTheTerminal(_ width: Int) throws {
        for arguments in [["definitions"], ["show", "sidecar"], ["show", "storage"]] {
            let run = try Tandem.run(arguments, environment: ["COLUMNS": "\(width)"])
            #expect(run.status == 0)
            let longest = run.stdout.split(separator: "\n").map(\.count).max() ?? 0
            #expect(longest <= width + 10, "\(arguments) at \(width) columns: a line of \(longest)")
        }
    }

    @Test("show of a trait that takes a map says so")
    func showMap() throws {
        let run = try Tandem.run(["show", "labels"])
        #expect(run.stdout.contains("It takes a map: each key to string or null."))
        #expect(run.stdout.contains("<key>  string or null  no"))
    }

    @Test("show prints the parameters, as text or Markdown")
    func show() throws {
        let text = try Tandem.run(["show", "sidecar"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("livenessProbe.httpGet.port"))
        #expect(text.stdout.contains("livenessProbe.periodSeconds"))
        let markdown = try Tandem.run(["show", "worker", "--format", "markdown"])
        #expect(markdown.stdout.contains("| `image` | string | yes |"))
        let unknown = try Tandem.run(["show", "sidcar"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("did you mean 'sidecar'?"))
    }

    @Test("schema prints a draft-07 JSON Schema with a branch per type")
    func schema() throws {
        let run = try Tandem.run(["schema"])
        #expect(run.status == 0)
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(schema["$schema"] as? String == "http://json-schema.org/draft-07/schema#")
        #expect(run.stdout.contains("\"const\": \"cron-task\""))
        #expect(run.stdout.contains("\"const\": \"json-merge-patch\""))
    }

    @Test("docs writes the reference manual")
    func docs() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-docs-\(getpid())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try Tandem.run(["docs", directory.path])
        #expect(run.status == 0)
        let sidecar = try String(contentsOf: directory.appendingPathComponent("traits/sidecar.md"), encoding: .utf8)
        #expect(sidecar.contains("## Example"))
        #expect(sidecar.contains("renders to:"))
    }
}
