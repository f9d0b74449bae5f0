import Foundation
import TandemJSON
import TandemTestSupport
import Testing

/// The same lifecycle against a real cluster, when `TANDEM_TEST_KUBECONFIG` names a kubeconfig
/// (its current context is used; everything happens in a fresh namespace `tandem-e2e-…`, which
/// is deleted at the end). Images are pulled from Docker Hub.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["TANDEM_TEST_KUBECONFIG"] != nil))
struct RealClusterTests {
    let kubeconfig = ProcessInfo.processInfo.environment["TANDEM_TEST_KUBECONFIG"] ?? ""
    let namespace = "tandem-e2e-\(UInt32.random(in: 0...UInt32.max))"

    func tandem(_ arguments: [String]) throws -> ProcessResult {
        try Tandem.run(arguments + ["--kubeconfig", kubeconfig, "-n", namespace], environment: ["NO_COLOR": "1"])
    }

    @Test func theLogShippingExampleLivesAndDies() throws {
        let example = PackagePaths.root.appendingPathComponent("examples/log-shipping.yaml").path
        defer { _ = try? Kubectl.run(["--kubeconfig", kubeconfig, "delete", "namespace", namespace, "--wait=false"]) }
        let up = try tandem(["up", example, "--create-namespace", "--timeout", "5m"])
        #expect(up.status == 0, "\(up.output)")
        #expect(up.stdout.contains("application log-shipping is healthy"))

        let status = try Tandem.run(["status", "log-shipping", "-n", namespace, "-o", "json", "--kubeconfig", kubeconfig])
        #expect(status.status == 0, "\(status.output)")
        let json = try JSONReader().read(status.stdout)
        let containers = json["components"]?.array?.first?["containers"]?.array ?? []
        #expect(containers.contains { $0["name"] == "log-shipper" && $0["ready"] == true && $0["role"] == "sidecar" })

        let diff = try tandem(["diff", example, "--exit-code"])
        #expect(diff.status == 0, "a second deploy would change:\n\(diff.stdout)")

        let delete = try Tandem.run(["delete", "log-shipping", "-n", namespace, "--wait", "--kubeconfig", kubeconfig])
        #expect(delete.status == 0, "\(delete.output)")
    }
}
