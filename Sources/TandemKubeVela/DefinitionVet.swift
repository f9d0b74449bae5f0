import KubeModel
import TandemCUE
import TandemDefinitions
import TandemJSON
import TandemModel

/// `tandem def vet`: a definition evaluated with its parameters' defaults, every problem of the
/// template reported at its line. What stays open because a parameter without a default is not
/// given (CUE's incomplete values) is no problem; a reference to a parameter that does not exist is.
public enum DefinitionVet {
    public static func check(_ source: CUEDefinitionSource, limits: InputLimits = .default) -> [Diagnostic] {
        let parameter = JSONValue.object(JSONObject())
        let log = DiagnosticLog(limit: limits.maxDiagnostics)
        let renderContext = RenderContext(appName: "vet", namespace: "default", componentName: "vet", componentType: source.name,
                                          kubeVersion: .newest, limits: limits, scope: DiagnosticScope(log: log, source: nil))
        var context = KubeVelaContext.make(renderContext)
        if source.kind == .trait {
            context["output"] = [
                "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "vet"],
                "spec": ["template": ["spec": ["containers": [["name": "vet", "image": "nginx"]]]]],
            ]
            context["outputs"] = .object(JSONObject())
        }
        // A workflow step's actions are checked against the providers' packages it imports.
        let packages = source.kind == .workflowStep
            ? (try? WorkflowProviderPackages.packages(for: source.template, templateText: source.templateText)) ?? [:] : [:]
        let value = CUEContext(limits: CUELimits(maxDepth: max(limits.maxDepth * 2, 200)))
            .evaluate([source.template], packages: packages, injecting: [(["parameter"], parameter), (["context"], .object(context))])
        var problems: [Diagnostic] = []
        func report(_ error: CUEError) {
            let place = error.path.isEmpty ? "" : error.path.joined(separator: ".") + ": "
            let position = TemplatePosition.of(error, in: value, template: source.template)
            problems.append(Diagnostic(.error, code: .cueError, place + error.message, location: source.location(of: position)))
        }
        var checked = ["parameter"]
        switch source.kind {
        case .component:
            if value.lookup(["output"]) == nil {
                problems.append(Diagnostic(.error, code: .cueError, "a component's template needs output: the workload",
                                           location: SourceLocation(file: source.file)))
            }
            checked += ["output", "outputs"]
        case .trait:
            checked += ["patch", "patchOutputs", "outputs"]
        case .workflowStep:
            checked += value.fields.filter { $0.kind == .regular && !["parameter", "context"].contains($0.name) }.map(\.name)
        case .policy:
            break
        }
        for field in checked {
            guard let part = value.lookup([field]) else { continue }
            for error in part.errors(limit: limits.maxDiagnostics) where isProblem(error) { report(error) }
        }
        return problems
    }

    /// A conflict, a reference to a parameter that does not exist, or to an action a provider's
    /// package does not have (`kube.#Aply`).
    static func isProblem(_ error: CUEError) -> Bool {
        error.kind != .incomplete || (error.message.hasPrefix("undefined field") && error.path.first == "parameter")
            || error.message.hasPrefix("undefined field: #")
    }
}
