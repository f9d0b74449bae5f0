import TandemCUE
import TandemJSON

/// A provider action in a step's evaluated template: a struct with `#do` (and `#provider`,
/// `builtin` when absent), such as `apply: kube.#Apply & {$params: ...}`.
struct CUEStepTask {
    var path: [String]
    var provider: String
    var action: String
    /// From `vela/op`: inputs and results are the action's own fields, not `$params`/`$returns`.
    var legacy: Bool
    /// The `vela/...` package of an action Tandem does not run.
    var refusedPackage: String?
    var value: CUEValue

    var label: String { path.joined(separator: ".") }
    var isWait: Bool { provider == "builtin" && action == "wait" }

    /// The fields of a `vela/op` action that are results, not inputs.
    static let legacyResults: Set<String> = ["err", "list", "response", "str", "result"]

    /// Every action under `root`'s regular fields, in the template's order; `parameter` and
    /// `context` hold none. A `#Steps` group (`#do: "steps"`) is looked into, an action is not.
    static func find(in root: CUEValue, limit: Int) -> [CUEStepTask] {
        var found: [CUEStepTask] = []
        func visit(_ value: CUEValue, _ path: [String], depth: Int) {
            guard found.count < limit, depth < 64, value.error == nil else { return }
            if value.isStruct {
                if let action = string(value, "#do"), action != "steps" {
                    found.append(CUEStepTask(path: path, provider: string(value, "#provider") ?? "builtin", action: action,
                                             legacy: value.lookup(["#legacy"]) != nil, refusedPackage: string(value, "#refused"),
                                             value: value))
                    return
                }
                for field in value.fields where field.kind == .regular && field.constraint == .regular {
                    if depth == 0, field.name == "parameter" || field.name == "context" { continue }
                    visit(field.value, path + [field.name], depth: depth + 1)
                }
            } else if value.isList {
                for (index, element) in value.elements.enumerated() { visit(element, path + [String(index)], depth: depth + 1) }
            }
        }
        visit(root, [], depth: 0)
        return found
    }

    private static func string(_ value: CUEValue, _ field: String) -> String? {
        guard let json = try? value.lookup([field])?.export() else { return nil }
        return json.string
    }

    /// The action's inputs as JSON, or what keeps them from being concrete yet.
    func inputs() -> Result<JSONValue, CUEError> {
        if !legacy {
            guard let params = value.lookup(["$params"]) else { return .success(.object(JSONObject())) }
            return Self.exported(params)
        }
        var object = JSONObject()
        for field in value.fields where field.kind == .regular && field.constraint == .regular && !Self.legacyResults.contains(field.name) {
            switch Self.exported(field.value) {
            case .success(let json): object[field.name] = json
            case .failure(let error): return .failure(error)
            }
        }
        return .success(.object(object))
    }

    /// A wait's condition: nil while it is not concrete.
    func condition() -> Bool? {
        let field = legacy ? ["continue"] : ["$params", "continue"]
        guard let json = try? value.lookup(field)?.export() else { return nil }
        return json.bool
    }

    /// A wait's message, when it is concrete.
    var waitMessage: String? {
        (try? value.lookup(legacy ? ["message"] : ["$params", "message"])?.export())??.string
    }

    /// Where the action's results go: `$returns`, or the `vela/op` action itself.
    var resultsPath: [String] { legacy ? path : path + ["$returns"] }

    /// The CUE value of an input (for a patch's `+patchKey` comments).
    func input(_ name: String) -> CUEValue? {
        value.lookup(legacy ? [name] : ["$params", name])
    }

    private static func exported(_ value: CUEValue) -> Result<JSONValue, CUEError> {
        do {
            return .success(try value.export())
        } catch {
            return .failure(error)
        }
    }
}
