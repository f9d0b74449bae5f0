import TandemJSON

/// A field path as KubeVela's policies write them: `spec.replicas`,
/// `spec.template.spec.containers[0].image`, `metadata.labels[app.kubernetes.io/name]`.
struct PolicyFieldPath: Sendable, Equatable {
    enum Segment: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    var segments: [Segment]

    /// Nil for an empty path or an unclosed bracket.
    init?(_ text: String) {
        var segments: [Segment] = []
        var current = ""
        var rest = Substring(text)
        while let character = rest.first {
            rest = rest.dropFirst()
            switch character {
            case ".":
                if !current.isEmpty { segments.append(.key(current)) }
                current = ""
            case "[":
                if !current.isEmpty { segments.append(.key(current)) }
                current = ""
                guard let close = rest.firstIndex(of: "]") else { return nil }
                let inside = rest[..<close].trimmingQuotes()
                segments.append(Int(inside).map(Segment.index) ?? .key(inside))
                rest = rest[rest.index(after: close)...]
            default:
                current.append(character)
            }
        }
        if !current.isEmpty { segments.append(.key(current)) }
        guard !segments.isEmpty else { return nil }
        self.segments = segments
    }

    func value(in json: JSONValue) -> JSONValue? {
        var current: JSONValue? = json
        for segment in segments {
            switch segment {
            case .key(let key): current = current?[key]
            case .index(let index):
                guard let array = current?.array, array.indices.contains(index) else { return nil }
                current = array[index]
            }
        }
        return current
    }

    /// Sets the value, creating objects on the way; an index past the end of a list sets nothing.
    func set(_ value: JSONValue, in json: inout JSONValue) {
        Self.set(value, at: segments[...], in: &json)
    }

    private static func set(_ value: JSONValue, at segments: ArraySlice<Segment>, in json: inout JSONValue) {
        guard let first = segments.first else {
            json = value
            return
        }
        switch first {
        case .key(let key):
            guard json.object != nil else { return }
            var child = json[key] ?? .object(JSONObject())
            set(value, at: segments.dropFirst(), in: &child)
            json[key] = child
        case .index(let index):
            guard var array = json.array, array.indices.contains(index) else { return }
            set(value, at: segments.dropFirst(), in: &array[index])
            json = .array(array)
        }
    }
}

extension Substring {
    fileprivate func trimmingQuotes() -> String {
        let characters: Set<Character> = ["'", "\""]
        var text = self
        while let first = text.first, characters.contains(first) { text = text.dropFirst() }
        while let last = text.last, characters.contains(last) { text = text.dropLast() }
        return String(text)
    }
}
