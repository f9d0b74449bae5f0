import KubeModel
import TandemDefinitions
import TandemModel

/// A policy type written in CUE, acted on as KubeVela acts on one: its parameters are checked,
/// and its template's `output` is an object applied with the application (KubeVela names it
/// after the policy and puts it in the application's namespace), rendered with `parameter` and
/// `context` (`context.name` is the policy's name). Its `outputs` are objects too. A template
/// without either only checks its parameters. A trait's `patch` and `patchOutputs` mean nothing
/// in a policy: a warning names them.
public struct CUEPolicyDefinition: PolicyDefinition {
    public let source: CUEDefinitionSource
    public let parameters: Schema

    public init(_ source: CUEDefinitionSource) {
        self.source = source
        parameters = CUEDefinitionSchema.parameters(of: source)
    }

    public var name: String { source.name }
    public var description: String { source.description }
    /// Its objects are rendered with the application's, so `tandem render` shows them.
    public var stage: DeliveryStage { .render }
    public var example: String { CUEDefinitionSchema.example(policy: name, schema: parameters) }

    public func objects(_ policy: Application.Policy, context: RenderContext) -> [KubeObject] {
        let run = TemplateRun(source, parameters: policy.properties, context: KubeVelaContext.make(context), limits: context.limits,
                              scope: context.scope)
        guard run.checkParameters() else { return [] }
        for field in ["patch", "patchOutputs"] where run.value.lookup([field]) != nil {
            DiagnosticScope(log: context.scope.log, source: context.scope.source, path: policy.path).warning(
                "the \(name) policy's template sets \(field), which a policy cannot use (it patches no component): ignored",
                at: ["type"], code: .ignoredValue, hint: "a policy's template makes objects with output and outputs (\(source.file))")
        }
        var objects: [KubeObject] = []
        if run.value.lookup(["output"]) != nil, let json = run.export(["output"]),
           var object = KubeVelaObjects.object(json, defaultName: policy.name, context: context, run: run) {
            // As KubeVela: the policy's object bears the policy's name.
            object.json[path: ["metadata", "name"]] = .string(policy.name)
            objects.append(object)
        }
        for key in run.fieldNames(["outputs"]) {
            guard let json = run.export(["outputs", key]),
                  let object = KubeVelaObjects.object(json, defaultName: "\(policy.name)-\(key)", context: context, run: run,
                                                      labels: [(KubeVelaObjects.resourceLabel, key)])
            else { continue }
            objects.append(object)
        }
        return objects
    }
}
