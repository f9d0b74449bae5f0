import Foundation

/// Where the local runtime keeps an application's plan, status, logs and ConfigMap files:
/// `$TANDEM_STATE_DIR/APP`, else `$XDG_STATE_HOME/tandem/local/APP`, else
/// `~/.local/state/tandem/local/APP`. `down --local` removes it.
public struct StateDirectory: Sendable {
    public var path: String

    public init(application: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        path = "\(Self.root(environment))/\(application)"
    }

    public init(path: String) {
        self.path = path
    }

    public static func root(_ environment: [String: String]) -> String {
        if let explicit = environment["TANDEM_STATE_DIR"], !explicit.isEmpty { return explicit }
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return "\(state)/tandem/local" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return "\(home)/.local/state/tandem/local"
    }

    public var planFile: String { "\(path)/plan.json" }
    public var statusFile: String { "\(path)/status.json" }
    public var supervisorLog: String { "\(path)/supervisor.log" }
    public var logs: String { "\(path)/logs" }
    /// The ready pods behind each Service's ports, for the Services' forwarders.
    public var endpointsFile: String { "\(path)/endpoints.json" }
    public var files: String { "\(path)/files" }
    /// Claims' volumes kept by an earlier `down --keep-volumes` and used again: an `up` that
    /// fails or is interrupted leaves them as it found them.
    public var reusedVolumesFile: String { "\(path)/reused-volumes" }

    public var reusedVolumes: Set<String> {
        guard let text = try? String(contentsOfFile: reusedVolumesFile, encoding: .utf8) else { return [] }
        return Set(text.split(whereSeparator: \.isNewline).map(String.init))
    }

    public var exists: Bool { FileManager.default.fileExists(atPath: path) }

    /// Creates the folder, readable by its owner only (it holds ConfigMap files and logs).
    public func create() throws {
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try FileManager.default.createDirectory(atPath: files, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: path)
    }

    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `data` to `file` whole: a reader sees the old or the new, never half.
    public static func writeAtomically(_ data: Data, to file: String) throws {
        let temporary = "\(file).\(getpid()).tmp"
        try data.write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, file) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw CocoaError(.fileWriteUnknown)
        }
    }

    public func writePlan(_ plan: LocalPlan) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try Self.writeAtomically(try encoder.encode(plan), to: planFile)
    }

    /// When the plan was last written: an update writes it again.
    public var planDate: Date? {
        (try? FileManager.default.attributesOfItem(atPath: planFile))?[.modificationDate] as? Date
    }

    public func readPlan() throws -> LocalPlan {
        try JSONDecoder().decode(LocalPlan.self, from: Data(contentsOf: URL(fileURLWithPath: planFile)))
    }

    /// The supervisor's process id, when one is running.
    public func runningSupervisor() -> pid_t? {
        SupervisorProcesses.running(self).first
    }
}
