import Foundation
import Testing

/// The waits of the local end-to-end tests: they wake on a write or a process's end, and not
/// without one.
@Suite struct FileChangesTests {
    @Test func aWriteInAFolderCreatedAfterTheWatchStartedWakesIt() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("changes-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let changes = try FileChanges(root)
        #expect(!changes.next(before: Date().addingTimeInterval(0.05)), "woke with nothing written")

        try FileManager.default.createDirectory(atPath: root + "/state/logs", withIntermediateDirectories: true)
        #expect(changes.next(before: Date().addingTimeInterval(5)), "the new folder")
        #expect(!changes.next(before: Date().addingTimeInterval(0.05)), "one change is reported once")
        try "line\n".write(toFile: root + "/state/logs/app.log", atomically: false, encoding: .utf8)
        #expect(changes.next(before: Date().addingTimeInterval(5)), "a write two folders down")
    }

    @Test func theEndOfAProcessWakesItsWait() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "read line"]
        let input = Pipe()
        process.standardInput = input
        try process.run()
        #expect(try ProcessExit.wait(for: [process.processIdentifier], seconds: 0.05) == [process.processIdentifier])
        try input.fileHandleForWriting.close()  // read sees the end of its input, and the shell exits
        #expect(try ProcessExit.wait(for: [process.processIdentifier], seconds: 10) == [])
        process.waitUntilExit()
    }
}
