import Foundation
import TandemJSON

/// The podman command line: the only way the local runtime touches containers.
public struct Podman: Sendable {
    public var executable: String

    public init(executable: String) {
        self.executable = executable
    }

    /// podman on PATH, or why there is none, with how to install it.
    public static func locate() -> Result<Podman, LocalProblem> {
        if let path = ProcessInfo.processInfo.environment["TANDEM_PODMAN"] ?? Subprocess.find("podman") {
            return .success(Podman(executable: path))
        }
        return .failure(LocalProblem("", "podman is not installed; the local runtime runs applications through it",
                                     hint: "install it (Debian and Ubuntu: sudo apt-get install podman; Fedora: sudo dnf install podman; "
                                         + "macOS: brew install podman && podman machine init && podman machine start)",
                                     remedy: .renderInstead))
    }

    /// Runs podman; a failure is thrown with podman's own words.
    @discardableResult
    public func run(_ arguments: [String], input: Data? = nil, timeout: Duration? = .seconds(120)) async throws -> SubprocessResult {
        let result = try await Subprocess.run(executable, arguments, input: input, timeout: timeout)
        guard result.status == 0 else { throw PodmanError(arguments: arguments, result: result) }
        return result
    }

    /// Runs podman and returns its status and output, whatever they are.
    public func attempt(_ arguments: [String], input: Data? = nil, timeout: Duration? = .seconds(120)) async throws -> SubprocessResult {
        try await Subprocess.run(executable, arguments, input: input, timeout: timeout)
    }

    /// Runs podman and reads its JSON output.
    public func json(_ arguments: [String]) async throws -> JSONValue {
        let result = try await run(arguments)
        do {
            return try JSONReader().read([UInt8](result.stdout))
        } catch {
            throw PodmanError(arguments: arguments, result: result, message: "podman printed what is not JSON: \(error)")
        }
    }
}

/// podman failed: the command and what podman said.
public struct PodmanError: Error, Sendable, CustomStringConvertible {
    public var arguments: [String]
    public var result: SubprocessResult
    public var message: String?

    public init(arguments: [String], result: SubprocessResult, message: String? = nil) {
        self.arguments = arguments
        self.result = result
        self.message = message
    }

    /// `podman pod create: name is in use`.
    public var description: String {
        let verb = arguments.prefix { !$0.hasPrefix("-") }.prefix(2).joined(separator: " ")
        if result.timedOut { return "podman \(verb) did not finish in time" }
        return "podman \(verb): \(message ?? result.errorLine)"
    }
}
