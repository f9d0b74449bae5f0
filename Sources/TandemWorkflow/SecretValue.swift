import Foundation
import TandemJSON

/// A value given either as text (`value`) or as a key of a Secret (`secretRef`), as the
/// notification and webhook steps take their URLs. Read from a Secret, it is a secret: it must
/// not appear in any message.
struct SecretValue {
    let text: String
    let isSecret: Bool

    /// The value of `address`; an error message (without the value) when it cannot be read.
    static func read(_ address: JSONValue?, what: String, _ run: StepRun) async -> Result<SecretValue, StepFailure> {
        if let value = address?["value"]?.string { return .success(SecretValue(text: value, isSecret: false)) }
        guard let name = address?[path: ["secretRef", "name"]]?.string, let key = address?[path: ["secretRef", "key"]]?.string else {
            return .failure(StepFailure("\(what) has neither value nor secretRef", retry: false))
        }
        let reference: JSONValue = ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": .string(name), "namespace": .string(run.namespace)]]
        let secret: JSONValue?
        do {
            secret = try await run.providers.read(reference)
        } catch {
            return .failure(StepFailure("cannot read Secret '\(name)' for \(what): \(error)", retry: true))
        }
        guard let secret else { return .failure(StepFailure("Secret '\(name)' (namespace \(run.namespace)) for \(what) does not exist", retry: true)) }
        if let encoded = secret[path: ["data", key]]?.string {
            guard let data = Data(base64Encoded: encoded), let text = String(data: data, encoding: .utf8) else {
                return .failure(StepFailure("key '\(key)' of Secret '\(name)' is not base64-encoded text", retry: false))
            }
            return .success(SecretValue(text: text.trimmingCharacters(in: .whitespacesAndNewlines), isSecret: true))
        }
        if let text = secret[path: ["stringData", key]]?.string { return .success(SecretValue(text: text, isSecret: true)) }
        return .failure(StepFailure("Secret '\(name)' has no key '\(key)' for \(what)", retry: false))
    }

    /// `message` with this value, and the parts of it as a URL, blanked out when it is a secret.
    func redacting(_ message: String) -> String {
        guard isSecret, !text.isEmpty else { return message }
        var redacted = message.replacingOccurrences(of: text, with: "<secret>")
        if let url = URLComponents(string: text) {
            for part in [url.percentEncodedPath, url.percentEncodedQuery ?? "", url.host ?? ""] where part.count > 1 {
                redacted = redacted.replacingOccurrences(of: part, with: "<secret>")
            }
        }
        return redacted
    }
}

/// Why a step failed, and whether trying again may help.
struct StepFailure: Error {
    let message: String
    let retry: Bool

    init(_ message: String, retry: Bool) {
        self.message = message
        self.retry = retry
    }

    var outcome: StepOutcome { .failed(message, retry: retry) }
}
