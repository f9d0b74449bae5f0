import Foundation
import TandemJSON
import TandemKubeVela

/// The steps that talk HTTP: notification, webhook and request.
enum HTTPSteps {
    /// notification: a message to each channel given (Slack, DingTalk, Lark), each to a URL
    /// given as a value or read from a Secret.
    static func notification(_ run: StepRun) async -> StepOutcome {
        if run.properties["email"] != nil {
            return .failed("tandem does not send email; use slack, dingding or lark", retry: false)
        }
        for (channel, service) in [("slack", "Slack"), ("dingding", "DingTalk"), ("lark", "Lark")] {
            guard let settings = run.properties[channel] else { continue }
            let body = settings["message"] ?? .object([:])
            if let failure = await post(body, to: settings["url"], what: "the \(service) URL", service: service, run) {
                return failure.outcome
            }
        }
        return .succeeded(value: .object([:]))
    }

    /// webhook: posts the Application (as the cluster has it, or as written) or `data` as JSON.
    static func webhook(_ run: StepRun) async -> StepOutcome {
        var data = run.properties["data"]
        if data == nil {
            let reference: JSONValue = ["apiVersion": "core.oam.dev/v1beta1", "kind": "Application",
                                        "metadata": ["name": .string(run.application.name), "namespace": .string(run.namespace)]]
            data = (try? await run.providers.read(reference)) ?? nil
        }
        let body = data ?? ApplicationJSON.make(run.application.application)
        if let failure = await post(body, to: run.properties["url"], what: "the webhook URL", service: "the webhook", run) {
            return failure.outcome
        }
        return .succeeded(value: .object([:]))
    }

    /// Posts `body` as JSON; nil when the receiver took it (any status below 400).
    private static func post(_ body: JSONValue, to address: JSONValue?, what: String, service: String, _ run: StepRun) async -> StepFailure? {
        let url: SecretValue
        switch await SecretValue.read(address, what: what, run) {
        case .success(let value): url = value
        case .failure(let failure): return failure
        }
        let request = WorkflowHTTPRequest(method: "POST", url: url.text, headers: [("Content-Type", "application/json")],
                                          body: Array(JSONWriter.compact(body).utf8), timeout: .seconds(30))
        do {
            let response = try await run.providers.http(request)
            guard response.statusCode < 400 else {
                return StepFailure("\(service) answered \(response.statusCode)", retry: true)
            }
            return nil
        } catch {
            return StepFailure(url.redacting("cannot post to \(service): \(HTTPFailure.describe(error))"), retry: true)
        }
    }

    /// request: one HTTP request; the response (status, headers, JSON body) is the step's value.
    static func request(_ run: StepRun) async -> StepOutcome {
        guard let url = run.properties["url"]?.string else { return .failed("request needs a url", retry: false) }
        let method = run.properties["method"]?.string ?? "GET"
        var headers: [(name: String, value: String)] = []
        for member in run.properties["header"]?.object ?? JSONObject() { headers.append((member.key, member.value.string ?? "")) }
        var body: [UInt8]?
        if let json = run.properties["body"] {
            body = Array(JSONWriter.compact(json).utf8)
            if !headers.contains(where: { $0.name.lowercased() == "content-type" }) { headers.append(("Content-Type", "application/json")) }
        }
        let response: WorkflowHTTPResponse
        do {
            response = try await run.providers.http(WorkflowHTTPRequest(method: method, url: url, headers: headers, body: body))
        } catch {
            return .failed("request of \(url) failed: \(HTTPFailure.describe(error))", retry: true)
        }
        // KubeVela's request step fails above 400 (a 400 itself passes).
        if response.statusCode > 400 {
            return .failed("request of \(url) is fail: \(response.statusCode)", retry: false)
        }
        var header = JSONObject()
        for (name, values) in response.headers.sorted(by: { $0.key < $1.key }) { header.append(name, .array(values.map { .string($0) })) }
        let text = String(decoding: response.body, as: UTF8.self)
        let parsed = try? JSONReader().read(response.body)
        let returns: JSONValue = ["statusCode": .int(response.statusCode), "header": .object(header), "body": .string(text)]
        return .succeeded(value: ["parameter": run.properties, "req": ["$returns": returns], "response": parsed ?? .null])
    }
}
