import KubeModel
import TandemCUE
import TandemDefinitions
import TandemJSON
import TandemModel

/// A component type written in CUE: `parameter` gives its schema, `output` the workload and
/// `outputs` the objects beside it, with `context` as KubeVela fills it.
public struct CUEComponentDefinition: ComponentDefinition {
    public let source: CUEDefinitionSource
    public let parameters: Schema

    public init(_ source: CUEDefinitionSource) {
        self.source = source
        parameters = CUEDefinitionSchema.parameters(of: source, checkingCUE: false)
    }

    public var name: String { source.name }

    public func check(_ parameters: inout Parameters, scope: DiagnosticScope) -> Bool {
        guard case .object = self.parameters.kind else { return true }  // CUE checks an object of parameters
        return CUEDefinitionSchema.check(&parameters, source, scope: scope)
    }
    public var description: String { source.description }

    /// The workload's kind, from `workload.definition` or `workload.type` (`deployments.apps`).
    var workloadKind: String? {
        if let kind = JSONValue.object(source.attributes)[path: ["workload", "definition", "kind"]]?.string { return kind }
        guard let type = JSONValue.object(source.attributes)[path: ["workload", "type"]]?.string else { return nil }
        return KubeVelaWorkloads.kind(ofResource: type)
    }

    public var hasPodTemplate: Bool {
        guard let workloadKind else { return true }  // autodetected: the renderer checks the object
        return KubeVelaWorkloads.podKinds.contains(workloadKind)
    }

    public var runsToCompletion: Bool { ["Job", "CronJob"].contains(workloadKind ?? "") }

    public var example: String { CUEDefinitionSchema.example(componentType: name, schema: parameters) }

    public func render(_ parameters: Parameters, context: RenderContext) -> ComponentDraft {
        let placeholder = ComponentDraft(workload: KubeObject(apiVersion: "v1", kind: "ConfigMap", name: context.componentName))
        let run = TemplateRun(source, parameters: parameters, context: KubeVelaContext.make(context),
                              limits: context.limits, scope: context.scope)
        guard run.checkParameters() else { return placeholder }
        guard run.value.lookup(["output"]) != nil else {
            run.fail("the template has no output", hint: "a component's template sets output: the workload (\(source.file))")
            return placeholder
        }
        guard let output = run.export(["output"]) else { return placeholder }
        guard let workload = KubeVelaObjects.object(output, defaultName: context.componentName, context: context, run: run) else {
            return placeholder
        }
        var draft = ComponentDraft(workload: workload, podSpecPath: KubeVelaWorkloads.podSpecPath(of: workload.json))
        draft.mainContainer = draft.containerNames.first { $0 == context.componentName } ?? draft.podSpec?.containers.first?["name"]?.string
        for name in run.fieldNames(["outputs"]) {
            guard let json = run.export(["outputs", name]),
                  let object = KubeVelaObjects.object(json, defaultName: "\(context.componentName)-\(name)", context: context, run: run)
            else { continue }
            draft.addObject(object, outputName: name)
        }
        return draft
    }
}
