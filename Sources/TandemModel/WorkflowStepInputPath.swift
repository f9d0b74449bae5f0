extension Application.WorkflowStep.Input {
    /// `parameterKey` as keys into the step's properties: `slack.message.text`, or with a key
    /// that is no CUE identifier, `data["my-input"]`; nil when there is none or it is no path.
    public var parameterPath: [String]? {
        guard let parameterKey else { return nil }
        var keys: [String] = []
        var rest = Substring(parameterKey)
        while !rest.isEmpty {
            if rest.hasPrefix("[\"") {
                rest = rest.dropFirst(2)
                guard let end = rest.firstIndex(of: "\"") else { return nil }
                keys.append(String(rest[..<end]))
                rest = rest[rest.index(after: end)...]
                guard rest.hasPrefix("]") else { return nil }
                rest = rest.dropFirst()
            } else {
                let name = rest.prefix { $0 != "." && $0 != "[" }
                guard !name.isEmpty else { return nil }
                keys.append(String(name))
                rest = rest.dropFirst(name.count)
            }
            if rest.hasPrefix(".") {
                rest = rest.dropFirst()
                guard !rest.isEmpty else { return nil }
            }
        }
        return keys.isEmpty ? nil : keys
    }
}
