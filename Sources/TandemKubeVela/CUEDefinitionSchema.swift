import Foundation
import TandemCUE
import TandemJSON
import TandemModel
import TandemRendering

/// The parameter schema of a CUE definition, and a worked example built from it.
enum CUEDefinitionSchema {
    /// The schema of the template's `parameter` (an empty object when it has none). With
    /// `checkingCUE`, the schema checks with CUE too; a component type or trait checks with
    /// CUE itself instead (`check(_:_:scope:)`), keeping what it settles for rendering.
    static func parameters(of source: CUEDefinitionSource, checkingCUE: Bool = true) -> Schema {
        let value = CUEContext().evaluate([source.template])
        guard let parameter = value.lookup(["parameter"]) else { return .object("", []) }
        var schema = ParameterSchema.describe(parameter)
        if checkingCUE, case .object = schema.kind { schema.checks.append(cueCheck(source)) }
        return schema
    }

    /// The check `cueCheck` makes, for parameters the schema found valid; when CUE finds them
    /// complete without anything rendering adds (`context`), what it settled them to is kept,
    /// so that rendering need not evaluate them again.
    static func check(_ parameters: inout Parameters, _ source: CUEDefinitionSource, scope: DiagnosticScope) -> Bool {
        let context = CUEContext()
        let value = context.evaluate([source.template], injecting: [(["parameter"], parameters.values)])
        guard let parameter = value.lookup(["parameter"]) else { return true }
        switch parameter.exportCollectingErrors(limit: scope.log.limit) {
        case .value(let settled):
            // A reference that found nothing may be to `context`, which rendering fills in; a
            // definition or hidden field the template may read is not in the JSON.
            if context.unresolvedIdentifiers == 0, parameter.holdsOnlyRegularFields { parameters.settled = settled }
            return true
        case .errors(let errors):
            let errorsBefore = scope.log.errorCount
            report(errors, source, scope)
            return scope.log.errorCount == errorsBefore
        }
    }

    /// What the schema cannot say (patterns, bounds of floats, relations between fields), CUE
    /// checks while the Application is validated, so every problem is reported at once, each at
    /// its parameter's line. Values CUE cannot know yet (they depend on `context`) wait for rendering.
    static func cueCheck(_ source: CUEDefinitionSource) -> Schema.Check {
        { object, scope in
            let value = CUEContext().evaluate([source.template], injecting: [(["parameter"], .object(object))])
            guard let parameter = value.lookup(["parameter"]) else { return }
            report(parameter.errors(limit: scope.log.limit), source, scope)
        }
    }

    /// Each error but an incomplete value (one that waits for `context`), at its parameter's line.
    private static func report(_ errors: [CUEError], _ source: CUEDefinitionSource, _ scope: DiagnosticScope) {
        for error in errors where error.kind != .incomplete {
            scope.error(error.message, at: TemplateRun.relativePath(error.path), code: .invalidValue,
                        hint: "the \(source.name) definition requires it (\(source.location(of: error.position)))")
        }
    }

    /// Values that satisfy the schema's required properties, for examples: the first choice,
    /// the lower bound, `example` for a string.
    static func sample(_ schema: Schema) -> JSONValue {
        if let defaultValue = schema.defaultValue { return defaultValue }
        switch schema.kind {
        case .string: return .string(schema.allowedValues?.first ?? "example")
        case .integer: return .int(schema.range.map { max($0.lowerBound, min(1, $0.upperBound)) } ?? 1)
        case .number: return .int(1)
        case .boolean: return .bool(false)
        case .array: return .array([])
        case .map: return .object(JSONObject())
        case .object(let properties):
            return .object(JSONObject(properties.filter(\.isRequired).map { JSONObject.Member(key: $0.name, value: sample($0.schema)) }))
        case .quantity: return "1"
        case .port: return .int(8080)
        case .any, .deferred: return "example"
        }
    }

    /// A complete Application using a component type.
    static func example(componentType: String, schema: Schema) -> String {
        application(component: ["name": "example", "type": .string(componentType), "properties": sample(schema)])
    }

    /// A complete Application using a trait on a `webservice`.
    static func example(trait: String, schema: Schema) -> String {
        application(component: [
            "name": "example", "type": "webservice", "properties": ["image": "nginx:1.27"],
            "traits": [["type": .string(trait), "properties": sample(schema)]],
        ])
    }

    static let sampleComponent: JSONValue = ["name": "example", "type": "webservice", "properties": ["image": "nginx:1.27"]]

    /// A complete Application using a policy.
    static func example(policy: String, schema: Schema) -> String {
        application(component: sampleComponent, extra: ["policies": [["name": "example", "type": .string(policy), "properties": sample(schema)]]])
    }

    /// A complete Application whose workflow uses a step, then deploys.
    static func example(step: String, schema: Schema) -> String {
        application(component: sampleComponent, extra: ["workflow": ["steps": [
            ["name": "example", "type": .string(step), "properties": sample(schema)],
            ["name": "deploy", "type": "deploy", "properties": ["policies": []]],
        ]]])
    }

    private static func application(component: JSONValue, extra: JSONObject = JSONObject()) -> String {
        var spec: JSONObject = ["components": [component]]
        for member in extra { spec[member.key] = member.value }
        let document: JSONValue = [
            "apiVersion": "core.oam.dev/v1beta1", "kind": "Application", "metadata": ["name": "example"],
            "spec": .object(spec),
        ]
        return YAMLWriter.documents([document]).replacingOccurrences(of: "---\n", with: "")
    }
}
