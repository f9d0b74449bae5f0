import TandemJSON
@testable import TandemCUE

/// Evaluates CUE source and exports the value at `path`.
func export(_ source: String, _ path: [String] = [], injecting: [(path: [String], value: JSONValue)] = [],
            limits: CUELimits = .default) throws -> JSONValue {
    let root = try CUEContext(limits: limits).evaluate(source: source, file: "test.cue", injecting: injecting)
    guard let value = root.lookup(path) else { throw CUEError(.incomplete, "no value at \(path)") }
    return try value.export()
}

/// The error exporting the value at `path` gives, or `nil` if it exports.
func exportError(_ source: String, _ path: [String] = [], injecting: [(path: [String], value: JSONValue)] = [],
                 limits: CUELimits = .default) throws -> CUEError? {
    let root = try CUEContext(limits: limits).evaluate(source: source, file: "test.cue", injecting: injecting)
    guard let value = root.lookup(path) else { return CUEError(.incomplete, "no value at \(path)") }
    do {
        _ = try value.export()
        return nil
    } catch {
        return error
    }
}

func parseJSON(_ text: String) throws -> JSONValue { try JSONReader().read(text) }
