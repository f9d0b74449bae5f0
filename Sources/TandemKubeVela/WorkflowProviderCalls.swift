import Foundation
import KubeModel
import TandemCUE
import TandemJSON
import TandemModel

/// Runs one provider action of a CUE step through `WorkflowProviders`, as KubeVela's providers
/// do: what it returns is filled into the template, or it stops the step (wait, suspend, fail).
struct WorkflowProviderCalls {
    enum Outcome {
        /// The results to fill in at the action's results path.
        case results(JSONValue)
        /// The wait's own message, if it has one.
        case wait(String?)
        case suspend(Duration?, String)
        case fail(String)
        /// The step's status message, and nothing to fill in.
        case message(String)
        case done
    }

    let providers: any WorkflowProviders
    let stepName: String
    let namespace: String

    func run(_ task: CUEStepTask, inputs: JSONValue) async -> Outcome {
        if task.refusedPackage != nil { return .fail(Self.refusal(task)) }
        do {
            switch (task.provider, task.action) {
            case ("kube", _): return try await kube(task, inputs)
            case ("builtin", _): return try builtin(task, inputs)
            case ("http", "do"): return try await http(task, inputs)
            case ("util", _): return try await util(task, inputs)
            default:
                return .fail("\(task.label): KubeVela's \(task.provider) provider (#do: \"\(task.action)\") is not run by Tandem")
            }
        } catch let failure as Failure {
            return .fail("\(task.label): \(failure.message)")
        } catch {
            return .fail("\(task.label): \(error)")
        }
    }

    /// Why an action of a provider Tandem does not run refuses the step.
    static func refusal(_ task: CUEStepTask) -> String {
        "\(task.label): \(task.action) needs KubeVela's \(task.provider) provider (\(task.refusedPackage ?? "vela/\(task.provider)")), which Tandem does not run"
    }

    struct Failure: Error {
        var message: String
    }

    // MARK: - vela/kube

    private func kube(_ task: CUEStepTask, _ inputs: JSONValue) async throws -> Outcome {
        let cluster = inputs["cluster"]?.string ?? ""
        guard cluster.isEmpty || cluster == "local" else {
            throw Failure(message: "cluster \"\(cluster)\": Tandem delivers to the application's own cluster (KubeVela's other clusters are not run)")
        }
        switch task.action {
        case "apply":
            var object = try objectInput(inputs, "value")
            if let patch = inputs["patch"] { object = try patched(object, with: patch, task.input("patch")) }
            return .results(["value": try await providers.apply(object)])
        case "patch":
            let object = try objectInput(inputs, "value")
            guard let live = try await providers.read(object) else { throw Failure(message: "\(describe(object)) not found") }
            let merged = try patched(Self.withoutServerFields(live), with: inputs["patch"] ?? [:], task.input("patch"))
            return .results(["result": try await providers.apply(merged)])
        case "apply-in-parallel":
            var applied: [JSONValue] = []
            for object in inputs["value"]?.array ?? [] { applied.append(try await providers.apply(object)) }
            return .results(["value": .array(applied)])
        case "read":
            let object = try objectInput(inputs, "value")
            do {
                guard let live = try await providers.read(object) else {
                    return .results(["err": .string("\(describe(object)) not found")])
                }
                return .results(["value": live])
            } catch {
                return .results(["err": .string("\(describe(object)): \(error)")])
            }
        case "list":
            let resource = inputs["resource"] ?? [:]
            guard let apiVersion = resource["apiVersion"]?.string, let kind = resource["kind"]?.string else {
                throw Failure(message: "resource needs apiVersion and kind")
            }
            let namespace = inputs[path: ["filter", "namespace"]]?.string ?? ""
            let items = try await providers.list(apiVersion: apiVersion, kind: kind, namespace: namespace.isEmpty ? nil : namespace,
                                                 matchingLabels: labels(inputs[path: ["filter", "matchingLabels"]]))
            let list: JSONValue = ["apiVersion": .string(apiVersion), "kind": .string(kind + "List"), "items": .array(items)]
            return .results(task.legacy ? ["list": list] : ["values": list])
        case "delete":
            let object = try objectInput(inputs, "value")
            if let filter = inputs["filter"] {
                let apiVersion = object["apiVersion"]?.string ?? "", kind = object["kind"]?.string ?? ""
                let namespace = filter["namespace"]?.string ?? object[path: ["metadata", "namespace"]]?.string
                let selected = try await providers.list(apiVersion: apiVersion, kind: kind, namespace: namespace,
                                                        matchingLabels: labels(filter["matchingLabels"]))
                for item in selected { try await providers.delete(item) }
            } else {
                try await providers.delete(object)
            }
            return .done
        default:
            throw Failure(message: "KubeVela's kube provider action \"\(task.action)\" is not run by Tandem")
        }
    }

    /// A live object as something to apply again: what the server keeps for itself left out.
    static func withoutServerFields(_ live: JSONValue) -> JSONValue {
        guard case .object(var root) = live else { return live }
        root["status"] = nil
        if case .object(var metadata)? = root["metadata"] {
            for field in ["managedFields", "resourceVersion", "uid", "creationTimestamp", "generation", "selfLink"] { metadata[field] = nil }
            root["metadata"] = .object(metadata)
        }
        return .object(root)
    }

    private func objectInput(_ inputs: JSONValue, _ name: String) throws -> JSONValue {
        guard let object = inputs[name], object.object != nil else { throw Failure(message: "\(name) must be an object") }
        return object
    }

    private func describe(_ object: JSONValue) -> String {
        let kind = object["kind"]?.string ?? "object"
        let name = object[path: ["metadata", "name"]]?.string ?? ""
        let namespace = object[path: ["metadata", "namespace"]]?.string
        return "\(kind) \(namespace.map { "\($0)/" } ?? "")\(name)"
    }

    private func labels(_ json: JSONValue?) -> [String: String] {
        var labels: [String: String] = [:]
        for member in json?.object ?? JSONObject() {
            labels[member.key] = member.value.string ?? JSONWriter.compact(member.value)
        }
        return labels
    }

    private func patched(_ object: JSONValue, with patch: JSONValue, _ patchValue: CUEValue?) throws -> JSONValue {
        let merge = StrategicMerge(bounds: JSONPatch.Bounds())
        do {
            return try merge.apply(patch, to: object, patchValue.map { PatchDirectives.read($0) })
        } catch {
            let place = error.path.isEmpty ? "" : " at " + error.path.joined(separator: ".")
            throw Failure(message: "the patch cannot be applied\(place): \(error.reason)")
        }
    }

    // MARK: - vela/builtin

    private func builtin(_ task: CUEStepTask, _ inputs: JSONValue) throws -> Outcome {
        let message = inputs["message"]?.string
        let field = task.path.last ?? task.label
        switch task.action {
        case "wait":
            if task.condition() == true { return .done }
            return .wait(message)
        case "suspend":
            var duration: Duration?
            if let text = inputs["duration"]?.string {
                guard let parsed = Self.duration(text) else {
                    throw Failure(message: "duration \"\(text)\" is not a duration (such as 30s, 5m or 1h30m)")
                }
                duration = parsed
            }
            return .suspend(duration, message ?? "Suspended by field \(field)")
        case "fail":
            return .fail(message ?? "Failed by field \(field)")
        case "message":
            return message.map(Outcome.message) ?? .done
        case "break":
            throw Failure(message: "builtin.#Break is not run by Tandem")
        default:
            throw Failure(message: "KubeVela's builtin provider action \"\(task.action)\" is not run by Tandem")
        }
    }

    /// A duration as KubeVela writes it (`30s`, `1m30s`); nil past what Go's durations hold (292 years).
    static func duration(_ text: String) -> Duration? {
        guard let seconds = GoDuration.seconds(text), seconds >= 0, seconds * 1e9 < 9.2e18 else { return nil }
        return .nanoseconds(Int64((seconds * 1e9).rounded()))
    }

    // MARK: - vela/http

    private func http(_ task: CUEStepTask, _ inputs: JSONValue) async throws -> Outcome {
        guard let url = inputs["url"]?.string else { throw Failure(message: "url must be a string") }
        if inputs["tls_config"] != nil {
            throw Failure(message: "tls_config (a client certificate from a Secret) is not supported by Tandem")
        }
        let options = inputs["request"] ?? [:]
        var headers = (options["header"]?.object ?? JSONObject()).map { (name: $0.key, value: $0.value.string ?? "") }
        for reference in options["headersFromSecret"]?.array ?? [] {
            headers.append((name: reference["name"]?.string ?? "", value: try await secretValue(reference)))
        }
        var timeout = Duration.seconds(30)
        if let text = options["timeout"]?.string {
            guard let parsed = Self.duration(text), parsed > .zero else { throw Failure(message: "request.timeout \"\(text)\" is not a duration") }
            timeout = parsed
        }
        let request = WorkflowHTTPRequest(method: inputs["method"]?.string ?? "GET", url: url, headers: headers,
                                          body: options["body"]?.string.map { Array($0.utf8) }, timeout: timeout)
        let response: WorkflowHTTPResponse
        do {
            response = try await providers.http(request)
        } catch {
            // The URL is left out: it may come from a Secret.
            throw Failure(message: "the \(request.method) request failed: \(error)")
        }
        var header = JSONObject()
        for (name, values) in response.headers.sorted(by: { $0.key < $1.key }) { header[name] = .array(values.map(JSONValue.string)) }
        let returned: JSONValue = [
            "body": .string(String(decoding: response.body, as: UTF8.self)), "header": .object(header), "statusCode": .int(response.statusCode),
        ]
        return .results(task.legacy ? ["response": returned] : returned)
    }

    /// A `headersFromSecret` entry's value: a key of a Secret in the application's namespace.
    private func secretValue(_ reference: JSONValue) async throws -> String {
        guard let name = reference["secret"]?.string, let key = reference["key"]?.string else {
            throw Failure(message: "headersFromSecret entries need name, secret and key")
        }
        let secret: JSONValue = ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": .string(name), "namespace": .string(namespace)]]
        guard let live = try await providers.read(secret) else { throw Failure(message: "Secret \(namespace)/\(name) not found") }
        guard let encoded = live[path: ["data", key]]?.string, let data = Data(base64Encoded: encoded) else {
            throw Failure(message: "Secret \(namespace)/\(name) has no key \(key)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: - vela/util

    private func util(_ task: CUEStepTask, _ inputs: JSONValue) async throws -> Outcome {
        switch task.action {
        case "string":
            // CUE bytes reach JSON as base64.
            guard let encoded = inputs["bt"]?.string, let data = Data(base64Encoded: encoded) else {
                throw Failure(message: "bt must be bytes")
            }
            return .results(["str": .string(String(decoding: data, as: UTF8.self))])
        case "patch-k8s-object":
            let object = try objectInput(inputs, "value")
            return .results(["result": try patched(object, with: inputs["patch"] ?? [:], task.input("patch"))])
        case "log":
            if let data = inputs["data"] {
                await providers.log(step: stepName, data.string ?? JSONWriter.compact(data))
            }
            return .done
        default:
            throw Failure(message: "KubeVela's util provider action \"\(task.action)\" is not run by Tandem")
        }
    }
}
