import Foundation
import TandemTestSupport
import Testing

/// tandem runs under valgrind, which `tandem-bench` counts instructions with: its main thread
/// must not be parked in dispatchMain's sigsuspend, which valgrind 3.19 aborts on.
@Suite(Judges.needs(Valgrind.isInstalled, "valgrind is not installed (apt-get install valgrind)"))
struct ValgrindTests {
    @Test func renderRunsUnderValgrind() throws {
        // A copy without debug information: valgrind cannot read the toolchain's.
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-valgrind-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: Tandem.executable.path, toPath: copy)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        try #require(try runProcess([Valgrind.strip, "--strip-debug", copy]).status == 0)
        let seed = PackagePaths.root.appendingPathComponent("examples/seed/01-minimal.yaml").path
        let run = try runProcess([Valgrind.path, "--tool=none", copy, "render", seed])
        #expect(run.status == 0, "\(run.stderr.suffix(3000))")
        #expect(run.stdout.contains("kind: Deployment"))
    }
}

enum Valgrind {
    static let path = "/usr/bin/valgrind"
    static let strip = "/usr/bin/strip"
    static var isInstalled: Bool { [path, strip].allSatisfy(FileManager.default.isExecutableFile(atPath:)) }
}
