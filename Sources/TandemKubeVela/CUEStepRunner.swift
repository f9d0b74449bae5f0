import TandemCUE
import TandemJSON

/// Runs a workflow step written in CUE as KubeVela's workflow does: evaluates the template,
/// runs its provider actions (`vela/kube`, `vela/builtin`, `vela/http`, `vela/util`, `vela/op`)
/// once their inputs are concrete, in the order they are written, fills in their results and
/// evaluates again, until no action is left or a wait, suspend or failure is reached. Every
/// run starts afresh, as KubeVela runs a step again while it waits.
public struct CUEStepRunner: Sendable {
    public let definition: CUEWorkflowStepDefinition
    public var limits: CUELimits
    /// Actions one run may take: a bound for templates whose actions beget actions.
    public var maxActions: Int

    public init(_ definition: CUEWorkflowStepDefinition, limits: CUELimits = .default, maxActions: Int = 200) {
        self.definition = definition
        self.limits = limits
        self.maxActions = maxActions
    }

    /// Evaluates the template with `parameter` = properties (inputs already filled in by the
    /// engine) and KubeVela's workflow `context` (name, namespace, appName, appRevision,
    /// stepName, stepSessionID, workflowName, ...), running its provider tasks in dependency
    /// order through `providers`.
    public func run(properties: JSONValue, context: JSONValue, providers: any WorkflowProviders) async -> CUEStepResult {
        let source = definition.source
        let packages: [String: [CUEFile]]
        do {
            packages = try WorkflowProviderPackages.packages(for: source.template, templateText: source.templateText)
        } catch {
            return .failed("the \(source.name) definition's providers cannot be read: \(error)")
        }
        let calls = WorkflowProviderCalls(providers: providers, stepName: context["stepName"]?.string ?? source.name,
                                          namespace: context["namespace"]?.string ?? "default")
        var results = CUEStepResults()
        var done: Set<[String]> = []
        var message: String?
        var readErrors: [String] = []
        for _ in 0...maxActions {
            let root = CUEContext(limits: limits).evaluate([source.template], packages: packages,
                                                            injecting: [(["parameter"], properties), (["context"], context), ([], results.tree)])
            if let problem = problem(in: root) { return .failed(problem) }
            let pending = CUEStepTask.find(in: root, limit: done.count + maxActions).filter { !done.contains($0.path) }
            if pending.isEmpty { return .succeeded(value: ConcreteExport.export(root), message: message) }
            guard let (task, inputs) = firstReady(pending) else {
                // A wait whose condition cannot be known yet is a wait that does not hold.
                if let wait = pending.first(where: \.isWait) { return .waiting(message ?? "\(wait.label): waiting until its condition holds") }
                return .failed(stuck(pending, readErrors: readErrors))
            }
            switch await calls.run(task, inputs: inputs) {
            case .results(let value):
                results.insert(value, at: task.resultsPath, in: root)
                if let error = value["err"]?.string { readErrors.append("\(task.label): \(error)") }
            case .wait(let text): return .waiting(text)
            case .suspend(let duration, let text): return .suspended(duration: duration, message: text)
            case .fail(let text): return .failed(text)
            case .message(let text): message = text
            case .done: break
            }
            done.insert(task.path)
        }
        return .failed("the \(source.name) step takes more than \(maxActions) actions")
    }

    /// The first action, in the template's order, whose inputs are all known.
    private func firstReady(_ pending: [CUEStepTask]) -> (CUEStepTask, JSONValue)? {
        for task in pending {
            if task.isWait, task.condition() == nil { continue }
            if case .success(let inputs) = task.inputs() { return (task, inputs) }
        }
        return nil
    }

    /// A conflict anywhere in the template, or a property the definition does not accept or
    /// that is missing: what makes the step fail whatever its actions do.
    private func problem(in root: CUEValue) -> String? {
        if let parameter = root.lookup(["parameter"]), let error = parameter.errors(limit: 1).first {
            let name = error.path.dropFirst().joined(separator: ".")
            return "property \(name.isEmpty ? "" : name + ": ")\(error.message) (\(definition.source.location(of: error.position)))"
        }
        if let error = root.error ?? root.errors(limit: 20).first(where: { $0.kind != .incomplete }) {
            return located(error)
        }
        return nil
    }

    /// Why no action can run: the first one's input that is not known, and the reads that failed.
    private func stuck(_ pending: [CUEStepTask], readErrors: [String]) -> String {
        let task = pending[0]
        var text = "\(task.label) cannot run"
        if case .failure(let error) = task.inputs() { text += ": " + located(error) }
        if !readErrors.isEmpty { text += " (after \(readErrors.joined(separator: "; ")))" }
        return text
    }

    private func located(_ error: CUEError) -> String {
        let place = error.path.isEmpty ? "" : error.path.joined(separator: ".") + ": "
        return "\(place)\(error.message) (\(definition.source.location(of: error.position)))"
    }
}
