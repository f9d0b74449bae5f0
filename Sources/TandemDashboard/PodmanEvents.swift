import Foundation
import TandemLocal

/// `podman events --format json`: a notice for each event podman reports (a container created,
/// started, died, removed), for as long as the caller listens. Without podman, no notices.
enum PodmanEvents {
    static func follow() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        guard case .success(let podman) = Podman.locate() else { return stream }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: podman.executable)
        process.arguments = ["events", "--format", "json", "--filter", "type=container"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        output.fileHandleForReading.readabilityHandler = { handle in
            // Each chunk holds one or more events: one notice covers them.
            if handle.availableData.isEmpty {
                handle.readabilityHandler = nil
                continuation.finish()
            } else {
                continuation.yield()
            }
        }
        continuation.onTermination = { _ in
            output.fileHandleForReading.readabilityHandler = nil
            if process.isRunning { process.terminate() }
        }
        do {
            try process.run()
        } catch {
            output.fileHandleForReading.readabilityHandler = nil
        }
        return stream
    }
}
