import Foundation
import TandemCUE
import TandemDefinitions
import TandemJSON

/// Judges live objects by a definition's health policy, as KubeVela does: each program is CUE
/// evaluated with `context` (the render-time context, with the live workload as
/// `context.output` and the live objects beside it as `context.outputs.<name>`) and `parameter`.
/// `healthPolicy` sets `isHealth` (absent: healthy), `customStatus` sets `message`, `details`
/// sets string fields. A program that does not evaluate makes the component unhealthy, with the
/// CUE error, at its line in the definition's file, as the message.
public enum DefinitionHealth {
    public static func evaluate(_ policy: HealthPolicy, output: JSONValue?, outputs: [String: JSONValue],
                                limits: CUELimits = .default) -> CustomHealth {
        var context = policy.context
        context["output"] = output ?? .object(JSONObject())
        context["outputs"] = .object(JSONObject(policy.outputs.compactMap { entry in
            outputs[entry.name].map { JSONObject.Member(key: entry.name, value: $0) }
        }))
        let injected: [(path: [String], value: JSONValue)] = [(["context"], .object(context)), (["parameter"], policy.parameter)]
        func run(_ program: HealthPolicy.Program, _ field: String) -> Result<CUEValue, Failure> {
            let cue = CUEContext(limits: limits)
            do {
                return .success(try cue.evaluate(source: program.text, file: field, injecting: injected))
            } catch {
                let first = error.errors.first
                return .failure(Failure(policy, program, field, first?.message ?? "\(error)", first?.position ?? .none))
            }
        }

        var healthy = true
        var problems: [String] = []
        if let program = policy.healthPolicy {
            switch run(program, "healthPolicy").flatMap({ value in field(value, "isHealth", policy, program, "healthPolicy") }) {
            case .success(.bool(let value)): healthy = value
            case .success(let other):
                healthy = false
                problems.append(Failure(policy, program, "healthPolicy", "isHealth must be a bool, not \(JSONWriter.compact(other))", .none).text)
            case .failure(let failure):
                healthy = false
                problems.append(failure.text)
            }
        }
        var message = ""
        if let program = policy.customStatus {
            switch run(program, "customStatus").flatMap({ value in field(value, "message", policy, program, "customStatus", optional: true) }) {
            case .success(.string(let text)): message = text
            case .success(.null): break
            case .success(let other): message = JSONWriter.compact(other)
            case .failure(let failure): problems.append(failure.text)
            }
        }
        var details: [CustomHealth.Detail] = []
        if let program = policy.details {
            switch run(program, "details").flatMap({ value in field(value, "details", policy, program, "details", optional: true) }) {
            case .success(.object(let object)):
                details = object.map { CustomHealth.Detail(key: $0.key, value: $0.value.string ?? JSONWriter.compact($0.value)) }
            case .success(.null): break
            case .success(let other):
                problems.append(Failure(policy, program, "details", "details must be a struct, not \(JSONWriter.compact(other))", .none).text)
            case .failure(let failure): problems.append(failure.text)
            }
        }
        if !problems.isEmpty {
            healthy = false
            message = ([message].filter { !$0.isEmpty } + problems).joined(separator: "; ")
        }
        return CustomHealth(healthy: healthy, message: message, details: details)
    }

    /// A program's field as JSON; `.null` when an optional one is absent.
    private static func field(_ value: CUEValue, _ name: String, _ policy: HealthPolicy, _ program: HealthPolicy.Program,
                              _ programName: String, optional: Bool = false) -> Result<JSONValue, Failure> {
        if let error = value.errors(limit: 1).first {
            return .failure(Failure(policy, program, programName, error.message, error.position, path: error.path))
        }
        guard let field = value.lookup([name]) else {
            return optional ? .success(.null) : .failure(Failure(policy, program, programName, "it sets no \(name)", .none))
        }
        do {
            return .success(try field.export())
        } catch {
            return .failure(Failure(policy, program, programName, error.message, error.position, path: error.path))
        }
    }

    /// A program that did not evaluate, located in the definition's file.
    struct Failure: Error {
        var text: String

        init(_ policy: HealthPolicy, _ program: HealthPolicy.Program, _ programName: String, _ message: String,
             _ position: CUEPosition, path: [String] = []) {
            let place = path.isEmpty ? "" : path.joined(separator: ".") + ": "
            var location = policy.file
            if program.line > 0 {
                let line = program.line + max(position.line, 1) - 1
                location += ":\(line)"
                if position.line > 0 { location += ":\(position.column + program.column)" }
            }
            text = "the \(policy.definition) definition's \(programName) failed: \(place)\(message) (at \(location))"
        }
    }
}
