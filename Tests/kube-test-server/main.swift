import Foundation
import KubeTestServer

/// `kube-test-server`: the test API server as a process, for end-to-end tests and benchmarks.
/// Prints `listening on URL` as its first line and serves until SIGTERM or SIGINT.
let usage = """
usage: kube-test-server [--port N] [--tls --cert PEM --key PEM [--client-ca PEM]] [--token TOKEN=USER]...
                        [--version v1.31.0] [--kubeconfig-out PATH] [--no-simulation] [--watch-history N]
"""

func fail(_ message: String) -> Never {
    writeLine("kube-test-server: \(message)\n\(usage)", to: STDERR_FILENO)
    exit(2)
}

/// The command line, parsed.
struct Arguments {
    var options = KubeTestServer.Options()
    var port = 0
    var kubeconfigPath: String?

    init(_ list: [String]) {
        var rest = list[...]
        func value(for flag: String) -> String {
            guard let next = rest.popFirst() else { fail("\(flag) needs a value") }
            return next
        }
        func number(for flag: String) -> Int {
            guard let number = Int(value(for: flag)) else { fail("\(flag) needs a number") }
            return number
        }
        var useTLS = false
        var certificate: String?, key: String?, clientCA: String?
        while let argument = rest.popFirst() {
            switch argument {
            case "--port": port = number(for: argument)
            case "--tls": useTLS = true
            case "--cert": certificate = value(for: argument)
            case "--key": key = value(for: argument)
            case "--client-ca": clientCA = value(for: argument)
            case "--token":
                let pair = value(for: argument)
                guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else { fail("--token takes TOKEN=USER") }
                options.tokens[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
            case "--version": options.version = value(for: argument)
            case "--kubeconfig-out": kubeconfigPath = value(for: argument)
            case "--no-simulation": options.simulation.enabled = false
            case "--watch-history": options.watchHistoryLimit = number(for: argument)
            case "-h", "--help":
                print(usage)
                exit(0)
            default: fail("unknown argument \(argument)")
            }
        }
        if useTLS {
            guard let certificate, let key else { fail("--tls needs --cert and --key") }
            options.tls = KubeTestServer.TLSFiles(certificatePath: certificate, privateKeyPath: key, clientCAPath: clientCA)
        } else if certificate != nil || key != nil || clientCA != nil {
            fail("--cert, --key and --client-ca need --tls")
        }
    }
}

let parsed = Arguments(Array(CommandLine.arguments.dropFirst()))

// Stop on SIGTERM/SIGINT through dispatch sources, so that the server shuts down cleanly.
signal(SIGTERM, SIG_IGN)
signal(SIGINT, SIG_IGN)
let signalQueue = DispatchQueue(label: "kube-test-server.signals")
let (stop, stopContinuation) = AsyncStream<Void>.makeStream()
let signalSources = [SIGTERM, SIGINT].map { number in
    let source = DispatchSource.makeSignalSource(signal: number, queue: signalQueue)
    source.setEventHandler { stopContinuation.yield() }
    source.resume()
    return source
}

do {
    let server = try await KubeTestServer.start(parsed.options, port: parsed.port)
    if let path = parsed.kubeconfigPath {
        let user: KubeTestServer.KubeconfigUser = parsed.options.tokens.first.map { .token($0.key) } ?? .anonymous
        // With TLS, the client CA (when given) is taken to be the CA of the server certificate too.
        try server.writeKubeconfig(to: path, user: user, certificateAuthorityPath: parsed.options.tls?.clientCAPath)
    }
    writeLine("listening on \(server.url)", to: STDOUT_FILENO)
    for await _ in stop { break }
    signalSources.forEach { $0.cancel() }
    try await server.shutdown()
} catch {
    fail("\(error)")
}

/// Writes a line straight to a file descriptor; a closed one is ignored (nobody is listening).
func writeLine(_ text: String, to descriptor: Int32) {
    let bytes = Array((text + "\n").utf8)
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, bytes.count - offset) }
        if written <= 0 { return }
        offset += written
    }
}
