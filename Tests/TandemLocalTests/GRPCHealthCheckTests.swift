import Foundation
import TandemTestSupport
import Testing
@testable import TandemLocal

/// The grpc probe's hand-written client against a real gRPC health server: grpcio's own
/// `grpc.health.v1` servicer, run by `Tests/grpc/grpc_health_server.py` (`.ci/run` installs grpcio).
@Suite(Judges.needs(PythonTools.hasGRPCHealth, missingGRPC))
struct GRPCHealthCheckTests {
    /// A service name longer than 127 bytes: its length in the request message takes two varint bytes.
    static let longName = "tandem.test." + String(repeating: "x", count: 200)

    /// The server, on a port of its own; it stops when its standard input closes.
    final class HealthServer {
        let process: Process
        let input: Pipe
        let port: Int

        init() throws {
            guard PythonTools.hasGRPCHealth else { throw TestSupportError(missingGRPC) }
            let script = PackagePaths.root.appendingPathComponent("Tests/grpc/grpc_health_server.py")
            process = Process()
            process.executableURL = URL(fileURLWithPath: PythonTools.python)
            process.arguments = [script.path, GRPCHealthCheckTests.longName]
            input = Pipe()
            let output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            let line = String(decoding: output.fileHandleForReading.availableLine(), as: UTF8.self)
            guard let port = Int(line) else {
                process.terminate()
                throw TestSupportError("the gRPC health server did not start: '\(line)'")
            }
            self.port = port
        }

        func check(_ service: String, port: Int? = nil) throws(ProbeProblem) -> ProbeOutcome {
            try GRPCHealthCheck(host: "127.0.0.1", port: port ?? self.port, service: service, deadline: Date().addingTimeInterval(10)).run()
        }

        func stop() {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
    }

    @Test func aServingServerPasses() throws {
        let server = try HealthServer()
        defer { server.stop() }
        #expect(try server.check("") == ProbeOutcome(success: true, message: ""))
        #expect(try server.check(Self.longName) == ProbeOutcome(success: true, message: ""))
    }

    @Test func aServiceNotServingFailsWithItsStatus() throws {
        let server = try HealthServer()
        defer { server.stop() }
        #expect(try server.check("down") == ProbeOutcome(success: false, message: "service unhealthy (responded with \"NOT_SERVING\")"))
    }

    @Test func anUnknownServiceFails() throws {
        let server = try HealthServer()
        defer { server.stop() }
        // grpcio answers NOT_FOUND in trailers, with no message: the kubelet's probe fails too.
        #expect(try server.check("nosuch").success == false)
    }

    @Test func nothingListeningIsAProblem() throws {
        let server = try HealthServer()
        server.stop()
        #expect(throws: ProbeProblem.self) { try server.check("", port: server.port) }
    }
}

let missingGRPC = "grpcio and grpcio-health-checking are not installed (bash .ci/run installs them into .build/venv)"

extension FileHandle {
    /// The bytes up to the first newline (without it), or to the end.
    fileprivate func availableLine() -> Data {
        var line = Data()
        while let byte = try? read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line += byte }
        return line
    }
}
