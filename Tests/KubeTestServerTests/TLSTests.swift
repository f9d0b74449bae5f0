import Foundation
import KubeTestServer
import TandemTestSupport
import Testing

/// HTTPS with client certificates and bearer tokens, as kubectl uses them.
@Suite(Kubectl.isNeeded, Judges.needs(Tools.hasOpenSSL, "/usr/bin/openssl is not installed"))
struct TLSTests {
    @Test func clientCertificatesAndTokensAuthenticate() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kts-tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try TestCertificates.make(in: scratch)
        let tls = KubeTestServer.TLSFiles(certificatePath: scratch + "/server.crt", privateKeyPath: scratch + "/server.key",
                                          clientCAPath: scratch + "/ca.crt")
        let cluster = try await ServerFixture.start(KubeTestServer.Options(tls: tls, tokens: ["s3cret-token": "bob"]))
        defer { cluster.finish() }
        #expect(cluster.server.url.hasPrefix("https://127.0.0.1:"))
        let ca = scratch + "/ca.crt"

        let alice = cluster.path("alice.kubeconfig")
        try cluster.server.writeKubeconfig(to: alice, user: .clientCertificate(certificatePath: scratch + "/alice.crt",
                                                                               keyPath: scratch + "/alice.key"),
                                           certificateAuthorityPath: ca)
        let withCertificate = try await cluster.kubectl(["get", "namespaces", "-o", "name"], kubeconfig: alice)
        #expect(withCertificate.status == 0, "\(withCertificate.output)")
        #expect(withCertificate.stdout.contains("namespace/default"))
        #expect(await cluster.server.requests().last?.user == "alice")

        let nobody = cluster.path("anonymous.kubeconfig")
        try cluster.server.writeKubeconfig(to: nobody, user: .anonymous, certificateAuthorityPath: ca)
        let anonymous = try await cluster.kubectl(["get", "namespaces"], kubeconfig: nobody)
        // kubectl with no credentials for an HTTPS server asks for a user name, reads no input and gives up.
        #expect(anonymous.status != 0)
        if Tools.hasCurl {
            let unauthenticated = try await run([Tools.curl, "-s", "--cacert", ca, "-o", "/dev/null", "-w", "%{http_code}",
                                                 cluster.server.url + "/api/v1/namespaces"])
            #expect(unauthenticated.stdout == "401")
        }

        let bob = cluster.path("bob.kubeconfig")
        try cluster.server.writeKubeconfig(to: bob, user: .token("s3cret-token"), certificateAuthorityPath: ca)
        let withToken = try await cluster.kubectl(["get", "namespaces", "-o", "name"], kubeconfig: bob)
        #expect(withToken.status == 0, "\(withToken.output)")
        #expect(await cluster.server.requests().last?.user == "bob")

        let wrong = cluster.path("wrong.kubeconfig")
        try cluster.server.writeKubeconfig(to: wrong, user: .token("not-the-token"), certificateAuthorityPath: ca)
        let rejected = try await cluster.kubectl(["get", "namespaces"], kubeconfig: wrong)
        #expect(rejected.status != 0)
        #expect(rejected.stderr.contains("Unauthorized"), "\(rejected.stderr)")
        let refused = await cluster.server.requests().filter { $0.statusCode == 401 }
        #expect(!refused.isEmpty && refused.allSatisfy { $0.user == nil })
    }
}
