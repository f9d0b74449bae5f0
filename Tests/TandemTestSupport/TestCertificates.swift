import Foundation

/// Certificates for TLS tests, made with the openssl command: a CA, a server certificate for
/// 127.0.0.1 and localhost (`server`) and one for localhost only (`server-dns`), and client certificates for alice (`/CN=alice/O=developers`) and
/// mallory (signed by a CA nobody trusts).
public enum TestCertificates {
    public static let openssl = "/usr/bin/openssl"
    public static var available: Bool { FileManager.default.isExecutableFile(atPath: openssl) }

    /// Writes `ca.crt`, `server.crt`/`.key`, `alice.crt`/`.key`, `other-ca.crt` and
    /// `mallory.crt`/`.key` into `directory`.
    public static func make(in directory: String) throws {
        func openssl(_ arguments: [String]) throws {
            let result = try runProcess([Self.openssl] + arguments)
            guard result.status == 0 else { throw TestSupportError("openssl \(arguments.first ?? ""): \(result.output)") }
        }
        let path = { (name: String) in directory + "/" + name }
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\n".write(toFile: path("san.ext"), atomically: true, encoding: .utf8)
        try "subjectAltName=DNS:localhost\n".write(toFile: path("dns.ext"), atomically: true, encoding: .utf8)
        for ca in ["ca", "other-ca"] {
            try openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=\(ca)",
                         "-keyout", path("\(ca).key"), "-out", path("\(ca).crt")])
        }
        for (name, subject, ca) in [("server", "/CN=kube-test-server", "ca"), ("server-dns", "/CN=kube-test-server", "ca"),
                                    ("alice", "/CN=alice/O=developers", "ca"), ("mallory", "/CN=mallory", "other-ca")] {
            try openssl(["req", "-newkey", "rsa:2048", "-nodes", "-subj", subject, "-keyout", path("\(name).key"),
                         "-out", path("\(name).csr")])
            var sign = ["x509", "-req", "-in", path("\(name).csr"), "-CA", path("\(ca).crt"), "-CAkey", path("\(ca).key"),
                        "-CAcreateserial", "-days", "2", "-out", path("\(name).crt")]
            if name == "server" { sign += ["-extfile", path("san.ext")] }
            if name == "server-dns" { sign += ["-extfile", path("dns.ext")] }
            try openssl(sign)
        }
    }
}
