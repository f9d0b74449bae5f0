import Foundation
import KubeClient
import TandemJSON
import TandemTestSupport
import Testing

/// Tandem reads kubeconfig files as kubectl does: for each case, the server, CA, client
/// certificate, credentials and namespace Tandem resolves equal what
/// `kubectl config view --minify --flatten -o json` prints for the same files and context.
@Suite struct KubeconfigConformanceTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/kubeconfig")

    struct Case: CustomTestStringConvertible, Sendable {
        var files: [String]
        var context: String?
        var testDescription: String { files.joined(separator: ":") + (context.map { " --context \($0)" } ?? "") }
    }

    static let cases: [Case] = [
        Case(files: ["d1/config", "d2/config"], context: nil),
        Case(files: ["d2/config", "d1/config"], context: nil),
        Case(files: ["d2/config", "d1/config"], context: "ctx-a"),
        Case(files: ["d1/config", "d2/config"], context: "ctx-shared"),
        Case(files: ["d2/config", "d1/config"], context: "ctx-shared"),
        Case(files: ["d1/config"], context: "ctx-tf"),
        Case(files: ["d1/config"], context: "ctx-exec"),
        Case(files: ["d3-ghost.yaml", "d2/config", "d1/config"], context: "ctx-ghost"),
        Case(files: ["missing.yaml", "d2/config"], context: nil),
        Case(files: ["exec/config"], context: nil),
        Case(files: ["exec/config"], context: "exec-bare"),
    ]

    @Test(Kubectl.isNeeded, arguments: cases)
    func resolvesAsKubectlDoes(_ testCase: Case) throws {
        let list = testCase.files.map { Self.folder.appendingPathComponent($0).path }.joined(separator: ":")
        var arguments = ["config", "view", "--minify", "--flatten", "-o", "json"]
        if let context = testCase.context { arguments += ["--context", context] }
        let result = try Kubectl.run(arguments, environment: ["KUBECONFIG": list])
        try #require(result.status == 0, "kubectl: \(result.stderr)")
        let view = try JSONReader().read(result.stdout)
        let cluster = try #require(view["clusters"]?.array?.first?["cluster"])
        let user = view["users"]?.array?.first?["user"] ?? .object(JSONObject())
        let context = try #require(view["contexts"]?.array?.first?["context"])

        let connection = try ClusterConnection.resolve(context: testCase.context,
                                                       environment: ["KUBECONFIG": list, "HOME": "/nonexistent"])
        #expect(connection.contextName == view["current-context"]?.string)
        #expect(connection.server == cluster["server"]?.string)
        #expect(connection.tls.certificateAuthority == Self.decode(cluster["certificate-authority-data"]))
        #expect(connection.tls.insecureSkipVerify == (cluster["insecure-skip-tls-verify"]?.bool ?? false))
        #expect(connection.tls.serverName == cluster["tls-server-name"]?.string)
        #expect(connection.proxyURL == cluster["proxy-url"]?.string)
        #expect(connection.tls.clientCertificate == Self.decode(user["client-certificate-data"]))
        #expect(connection.tls.clientKey == Self.decode(user["client-key-data"]))
        #expect(connection.namespace == context["namespace"]?.string)

        switch connection.credentials {
        case .token(let token):
            #expect(user["token"]?.string == token)
        case .tokenFile(let path):
            let written = try #require(user["tokenFile"]?.string)
            #expect(path.hasSuffix("/" + written) || path == written, "\(path) is not \(written) resolved")
            #expect(FileManager.default.fileExists(atPath: path), "the token file \(path) resolves to nothing")
        case .basic(let username, let password):
            #expect(user["username"]?.string == username && user["password"]?.string == password)
        case .exec(let plugin):
            let exec = try #require(user["exec"])
            let command = try #require(exec["command"]?.string)
            if command.contains("/") {
                #expect(plugin.config.command.hasSuffix(command.replacingOccurrences(of: "./", with: "/")))
                #expect(plugin.config.command.hasPrefix("/"))
            } else {
                #expect(plugin.config.command == command)
            }
            #expect(plugin.config.args == (exec["args"]?.strings ?? []))
            #expect(plugin.config.apiVersion == exec["apiVersion"]?.string)
            #expect(plugin.config.provideClusterInfo == (exec["provideClusterInfo"]?.bool ?? false))
            let env = (exec["env"]?.array ?? []).map { "\($0["name"]?.string ?? "")=\($0["value"]?.string ?? "")" }
            #expect(plugin.config.env.map { "\($0.name)=\($0.value)" } == env)
        case .none:
            #expect(user["token"] == nil && user["tokenFile"] == nil && user["exec"] == nil && user["username"] == nil)
        }
    }

    static func decode(_ value: JSONValue?) -> [UInt8]? {
        value?.string.flatMap { Data(base64Encoded: $0) }.map(Array.init)
    }

    @Test func explicitKubeconfigReplacesTheList() throws {
        let connection = try ClusterConnection.resolve(
            kubeconfig: Self.folder.appendingPathComponent("d2/config").path,
            environment: ["KUBECONFIG": Self.folder.appendingPathComponent("d1/config").path, "HOME": "/nonexistent"])
        #expect(connection.contextName == "ctx-b")
    }

    @Test func aMissingExplicitKubeconfigIsAnError() {
        #expect(throws: KubeError.self) {
            try ClusterConnection.resolve(kubeconfig: "/nonexistent/config", environment: ["HOME": "/nonexistent"])
        }
    }

    @Test func noKubeconfigSaysWhereItLooked() {
        do {
            _ = try ClusterConnection.resolve(environment: ["HOME": "/nonexistent"])
            Issue.record("resolved without any kubeconfig")
        } catch KubeError.noKubeconfig(let searched) {
            #expect(searched == ["/nonexistent/.kube/config"])
        } catch {
            Issue.record("not a missing kubeconfig: \(error)")
        }
    }

    @Test func noCurrentContextNamesTheContexts() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kubeconfig-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        try """
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443"}}]
            contexts: [{name: b, context: {cluster: c}}, {name: a, context: {cluster: c}}]
            """.write(to: file, atomically: true, encoding: .utf8)
        do {
            _ = try ClusterConnection.resolve(kubeconfig: file.path, environment: ["HOME": "/nonexistent"])
            Issue.record("resolved without a context")
        } catch KubeError.noContextChosen(let contexts) {
            #expect(contexts == ["a", "b"])
        } catch {
            Issue.record("not a missing context: \(error)")
        }
    }

    /// The library states the problem; each command adds its own advice in its own flags.
    @Test func configurationErrorsSayNothingOfCommandLineFlags() {
        let errors: [KubeError] = [.noKubeconfig(searched: ["/home/me/.kube/config"]), .noContextChosen(contexts: ["a", "b"]),
                                   .noContextChosen(contexts: [])]
        for error in errors {
            #expect(!error.description.contains("--"), "\(error.description)")
        }
        #expect(errors[0].description == "no kubeconfig was found (looked for /home/me/.kube/config)")
        #expect(errors[1].description == "the kubeconfig sets no current-context; its contexts are a, b")
    }

    @Test func theServiceAccountIsUsedInsideAPod() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sa-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "sa-token\n".write(to: directory.appendingPathComponent("token"), atomically: true, encoding: .utf8)
        try "sa-ns\n".write(to: directory.appendingPathComponent("namespace"), atomically: true, encoding: .utf8)
        let environment = ["HOME": "/nonexistent", "KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"]
        let connection = try ClusterConnection.resolve(environment: environment, serviceAccountDirectory: directory.path)
        #expect(connection.server == "https://10.96.0.1:443")
        #expect(connection.namespace == "sa-ns")
        guard case .tokenFile(let path) = connection.credentials else { Issue.record("not the service account token"); return }
        #expect(path == directory.path + "/token")
        // POD_NAMESPACE wins over the file, as kubectl has it.
        let pod = try ClusterConnection.resolve(environment: environment.merging(["POD_NAMESPACE": "pod-ns"]) { $1 },
                                                serviceAccountDirectory: directory.path)
        #expect(pod.namespace == "pod-ns")
    }
}
