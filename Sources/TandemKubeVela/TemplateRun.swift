import TandemCUE
import TandemDefinitions
import TandemJSON
import TandemModel

/// One evaluation of a definition's template with `parameter` and `context` filled in, and the
/// reporting of what goes wrong: problems with a parameter go to the Application's line for
/// it, problems of the template itself name the definition and its file and line.
struct TemplateRun {
    let source: CUEDefinitionSource
    let value: CUEValue
    let scope: DiagnosticScope
    /// Whether `parameter` is what validation settled: values CUE checked then, and found complete.
    let parametersSettled: Bool

    init(_ source: CUEDefinitionSource, parameters: JSONValue, context: JSONObject, limits: InputLimits, scope: DiagnosticScope) {
        self.init(source, parameters: Parameters(parameters), context: context, limits: limits, scope: scope)
    }

    /// Parameters that validation settled (`Parameters.settled`) are `parameter` as they are:
    /// the template's declaration of it, evaluated then, is not evaluated again.
    init(_ source: CUEDefinitionSource, parameters: Parameters, context: JSONObject, limits: InputLimits, scope: DiagnosticScope) {
        self.source = source
        self.scope = scope
        parametersSettled = parameters.settled != nil
        let cue = CUEContext(limits: CUELimits(maxDepth: max(limits.maxDepth * 2, 200)))
        if let settled = parameters.settled {
            value = cue.evaluate([source.template], injecting: [(["context"], .object(context))], replacing: [("parameter", settled)])
        } else {
            value = cue.evaluate([source.template], injecting: [(["parameter"], parameters.values), (["context"], .object(context))])
        }
    }

    /// Reports every problem CUE finds with the parameters, each at the parameter's own line;
    /// false when there was any. Settled parameters were checked when they were settled, and
    /// `parameter` holds nothing else: they are not walked again.
    func checkParameters() -> Bool {
        guard !parametersSettled, let parameter = value.lookup(["parameter"]) else { return true }
        let errors = parameter.errors(limit: scope.log.limit)
        for error in errors {
            scope.error(error.message, at: Self.relativePath(error.path), code: .invalidValue,
                        hint: "the \(source.name) definition requires it (\(source.location(of: error.position)))")
        }
        return errors.isEmpty
    }

    /// A path under `parameter` as a path in the component's or trait's `properties`.
    static func relativePath(_ path: [String]) -> FieldPath {
        FieldPath(path.dropFirst().map { Int($0).map(FieldPath.Component.index) ?? .key($0) })
    }

    /// The value at `path` as JSON; a problem is reported and gives nil.
    func export(_ path: [String]) -> JSONValue? {
        guard let field = value.lookup(path) else { return nil }
        switch field.exportCollectingErrors(limit: 10) {
        case .value(let json):
            return json
        case .errors(let errors):
            for error in errors { report(error) }
            return nil
        }
    }

    /// The names of a struct's regular fields (`outputs`, `patchOutputs`), in order.
    func fieldNames(_ path: [String]) -> [String] {
        value.lookup(path)?.fields.filter { $0.kind == .regular }.map(\.name) ?? []
    }

    func report(_ error: CUEError) {
        let place = error.path.isEmpty ? "" : error.path.joined(separator: ".") + ": "
        scope.error("the \(source.name) definition failed: \(place)\(error.message)", code: .cueError,
                    hint: "at \(source.location(of: error.position))")
    }

    /// A problem of the definition rather than of a parameter.
    func fail(_ message: String, hint: String? = nil) {
        scope.error("the \(source.name) definition failed: \(message)", code: .cueError, hint: hint ?? "in \(source.file)")
    }
}
