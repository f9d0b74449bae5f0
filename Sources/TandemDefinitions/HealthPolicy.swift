import TandemJSON

/// A component's own health rules, as its definition states them (KubeVela's
/// `attributes.status`), bound to the component's parameters: CUE programs evaluated against
/// the live objects with `context.output` and `context.outputs` filled in. Kept in the
/// inventory, so that `status` judges a deployed application without its files.
public struct HealthPolicy: Sendable, Hashable {
    /// One CUE program and the line of the definition's file its first line is on (0: unknown).
    public struct Program: Sendable, Hashable {
        public var text: String
        public var line: Int
        public var column: Int

        public init(text: String, line: Int = 0, column: Int = 0) {
            self.text = text
            self.line = line
            self.column = column
        }
    }

    /// An object the template made as `outputs.<name>`.
    public struct Output: Sendable, Hashable {
        public var name: String
        public var kind: String
        public var objectName: String

        public init(name: String, kind: String, objectName: String) {
            self.name = name
            self.kind = kind
            self.objectName = objectName
        }
    }

    public var definition: String
    /// The trait type whose policy this is; nil for the component's own.
    public var trait: String?
    public var file: String
    /// Sets `isHealth: bool`; nil means healthy.
    public var healthPolicy: Program?
    /// Sets `message: string`.
    public var customStatus: Program?
    /// Sets `details: {...}`, each value a string.
    public var details: Program?
    public var parameter: JSONValue
    /// `context` as the template saw it, without `output` and `outputs` (the live ones go there).
    public var context: JSONObject
    public var outputs: [Output]

    public init(definition: String, trait: String? = nil, file: String, healthPolicy: Program?, customStatus: Program?, details: Program?,
                parameter: JSONValue, context: JSONObject, outputs: [Output] = []) {
        self.definition = definition
        self.trait = trait
        self.file = file
        self.healthPolicy = healthPolicy
        self.customStatus = customStatus
        self.details = details
        self.parameter = parameter
        self.context = context
        self.outputs = outputs
    }

    public var json: JSONValue {
        func program(_ program: Program?) -> JSONValue {
            guard let program else { return .null }
            return ["text": .string(program.text), "line": .int(program.line), "column": .int(program.column)]
        }
        return [
            "definition": .string(definition), "trait": trait.map(JSONValue.string) ?? .null, "file": .string(file),
            "healthPolicy": program(healthPolicy), "customStatus": program(customStatus), "details": program(details),
            "parameter": parameter, "context": .object(context),
            "outputs": .array(outputs.map { ["name": .string($0.name), "kind": .string($0.kind), "objectName": .string($0.objectName)] }),
        ]
    }

    /// Reads a policy back; nil when `json` is not one.
    public init?(json: JSONValue) {
        guard let definition = json["definition"]?.string else { return nil }
        func program(_ key: String) -> Program? {
            guard let text = json[key]?["text"]?.string else { return nil }
            return Program(text: text, line: json[key]?["line"]?.int ?? 0, column: json[key]?["column"]?.int ?? 0)
        }
        self.init(definition: definition, trait: json["trait"]?.string, file: json["file"]?.string ?? "", healthPolicy: program("healthPolicy"),
                  customStatus: program("customStatus"), details: program("details"), parameter: json["parameter"] ?? .null,
                  context: json["context"]?.object ?? JSONObject(),
                  outputs: (json["outputs"]?.array ?? []).compactMap { output in
                      guard let name = output["name"]?.string, let kind = output["kind"]?.string,
                            let objectName = output["objectName"]?.string else { return nil }
                      return Output(name: name, kind: kind, objectName: objectName)
                  })
    }
}

/// What a health policy says about live objects.
public struct CustomHealth: Sendable, Hashable {
    public var healthy: Bool
    /// `message` from `customStatus`, or the error that kept a program from evaluating.
    public var message: String
    public var details: [Detail]

    public struct Detail: Sendable, Hashable {
        public var key: String
        public var value: String

        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    public init(healthy: Bool, message: String, details: [Detail] = []) {
        self.healthy = healthy
        self.message = message
        self.details = details
    }
}
