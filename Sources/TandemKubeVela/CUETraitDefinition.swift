import KubeModel
import TandemCUE
import TandemDefinitions
import TandemJSON
import TandemModel

/// A trait written in CUE, applied as KubeVela applies it: `patch` merged into the workload
/// (strategic-merge semantics, `+patchKey`, `+patchStrategy`), `patchOutputs` into the objects
/// made beside it, `outputs` added; `context.output` and `context.outputs` show what the
/// component and the earlier traits left.
public struct CUETraitDefinition: TraitDefinition {
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
    var appliesToWorkloads: [String] { source.stringList("appliesToWorkloads") }
    var conflictsWith: [String] { source.stringList("conflictsWith") }

    public var appliesTo: TraitTarget {
        let entries = appliesToWorkloads
        if entries.isEmpty || entries.contains("*") { return .all }
        if entries.allSatisfy({ KubeVelaWorkloads.resources[$0].map(KubeVelaWorkloads.podKinds.contains) ?? false }) { return .podTemplate }
        return .all  // component type names and other kinds are checked against the workload itself
    }

    public var example: String { CUEDefinitionSchema.example(trait: name, schema: parameters) }

    public func apply(_ parameters: Parameters, to component: inout ComponentDraft, context: RenderContext) {
        guard fits(component, context) else { return }
        var kubeVelaContext = KubeVelaContext.make(context)
        kubeVelaContext["output"] = component.workload.json
        kubeVelaContext["outputs"] = .object(JSONObject(component.namedOutputs.sorted { $0.value < $1.value }.map {
            JSONObject.Member(key: $0.key, value: component.auxiliaries[$0.value].json)
        }))
        let run = TemplateRun(source, parameters: parameters, context: kubeVelaContext, limits: context.limits, scope: context.scope)
        guard run.checkParameters() else { return }
        let merge = StrategicMerge(bounds: JSONPatch.Bounds(maxNodes: context.limits.maxPatchNodes, maxDepth: context.limits.maxPatchDepth))

        if let patchValue = run.value.lookup(["patch"]) {
            guard let patch = run.export(["patch"]) else { return }
            let comments = run.value.fields.first { $0.name == "patch" }?.docComments ?? []
            guard let patched = apply(merge, patch, to: component.workload.json, PatchDirectives.read(patchValue, comments: comments), run) else { return }
            component.workload.json = patched
        }
        for name in run.fieldNames(["patchOutputs"]) {
            guard let index = component.namedOutputs[name] else {
                run.fail("patchOutputs.\(name): the component has no output named '\(name)'",
                         hint: "outputs so far: \(component.namedOutputs.keys.sorted().joined(separator: ", "))")
                continue
            }
            guard let patchValue = run.value.lookup(["patchOutputs", name]), let patch = run.export(["patchOutputs", name]),
                  let patched = apply(merge, patch, to: component.auxiliaries[index].json, PatchDirectives.read(patchValue), run)
            else { continue }
            component.editObject(at: index) { $0.json = patched }
        }
        for name in run.fieldNames(["outputs"]) {
            guard let json = run.export(["outputs", name]),
                  let object = KubeVelaObjects.object(json, defaultName: "\(context.componentName)-\(name)", context: context, run: run,
                                                      labels: [(KubeVelaObjects.resourceLabel, name)])
            else { continue }
            component.addObject(object, outputName: name)
        }
    }

    private func apply(_ merge: StrategicMerge, _ patch: JSONValue, to base: JSONValue, _ directives: PatchDirectives, _ run: TemplateRun) -> JSONValue? {
        do {
            let patched = try merge.apply(patch, to: base, directives)
            if let problem = KubeObject.identityProblem(patched) {
                run.fail("the patched object \(problem)")
                return nil
            }
            return patched
        } catch {
            run.fail("cannot apply the patch at \(error.path.joined(separator: ".")): \(error.reason)")
            return nil
        }
    }

    /// `appliesToWorkloads` and `conflictsWith`, checked against the component; false when the
    /// trait must not be applied.
    private func fits(_ component: ComponentDraft, _ context: RenderContext) -> Bool {
        let kind = component.workload.kind
        // KubeVela checks appliesToWorkloads only in its optional admission webhook, and its own
        // examples put traits on other workloads: a warning, and the trait is applied.
        if !KubeVelaWorkloads.admits(appliesToWorkloads, kind: kind, componentType: context.componentType) {
            context.scope.warning("the \(name) trait is meant for \(appliesToWorkloads.joined(separator: ", ")); this component's workload is a \(kind)",
                                  code: .traitNotApplicable,
                                  hint: "its definition's appliesToWorkloads says so (\(source.file)); KubeVela's admission webhook refuses this, when enabled")
        }
        let others = context.application?.components.first { $0.name == context.componentName }?.traits.map(\.type) ?? []
        if let conflict = others.first(where: conflictsWith.contains) {
            context.scope.error("the \(name) trait conflicts with the \(conflict) trait on the same component",
                                code: .traitNotApplicable, hint: "its definition's conflictsWith says so (\(source.file))")
            return false
        }
        return true
    }
}
