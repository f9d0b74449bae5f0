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
    /// The work of all of a run's evaluations together, in CUE's steps (`limits.maxSteps`
    /// bounds each evaluation; the template is evaluated again after each action).
    public var maxTotalSteps: Int

    public init(_ definition: CUEWorkflowStepDefinition, limits: CUELimits = .default, maxActions: Int = 200,
                maxTotalSteps: Int? = nil) {
        self.definition = definition
        self.limits = limits
        self.maxActions = maxActions
        self.maxTotalSteps = maxTotalSteps ?? limits.maxSteps * 10
    }

    /// Evaluates the template with `parameter` = properties (inputs already filled in by the
    /// engine) and KubeVela's workflow `context` (name, namespace, appName, appRevision,
    /// stepName, stepSessionID, workflowName, ...), running its provider actions through
    /// `providers`, each once its inputs are known, in the order the template writes them.
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
        var spent = 0
        var previous: CUEContext?
        for _ in 0...maxActions {
            spent += previous?.steps ?? 0
            var roundLimits = limits
            roundLimits.maxSteps = min(limits.maxSteps, maxTotalSteps - spent)
            guard roundLimits.maxSteps > 0 else { return .failed("the \(source.name) step takes more than \(maxTotalSteps) steps of evaluation") }
            let evaluation = CUEContext(limits: roundLimits)
            previous = evaluation
            let root = evaluation.evaluate([source.template], packages: packages,
                                           injecting: [(["parameter"], properties), (["context"], context), ([], results.tree)])
            let pending = CUEStepTask.find(in: root, limit: done.count + maxActions).filter { !done.contains($0.path) }
            if let problem = problem(in: root, pending: pending) { return .failed(problem) }
            if pending.isEmpty {
                let value = ConcreteExport.export(root)
                if let error = root.error, error.kind == .limit { return .failed(located(error, in: root)) }
                return .succeeded(value: value, message: message)
            }
            let task: CUEStepTask, inputs: JSONValue
            switch firstReady(pending) {
            case .ready(let ready, let json): (task, inputs) = (ready, json)
            case .broken(let error): return .failed(located(error, in: root))
            case .none:
                // A wait whose condition cannot be known yet is a wait that does not hold.
                if let wait = pending.first(where: \.isWait) {
                    return .waiting(wait.waitMessage ?? message ?? "\(wait.label): waiting until its condition holds")
                }
                return .failed(stuck(pending, readErrors: readErrors, in: root))
            }
            switch await calls.run(task, inputs: inputs) {
            case .results(let value):
                results.insert(value, at: task.resultsPath, in: root)
                if let error = value["err"]?.string { readErrors.append("\(task.label): \(error)") }
            case .wait(let text): return .waiting(text ?? message ?? "\(task.label): waiting until its condition holds")
            case .suspend(let duration, let text): return .suspended(duration: duration, message: text)
            case .fail(let text): return .failed(text)
            case .message(let text): message = text
            case .done: break
            }
            done.insert(task.path)
        }
        return .failed("the \(source.name) step takes more than \(maxActions) actions")
    }

    private enum Next {
        case ready(CUEStepTask, JSONValue)
        /// An action whose inputs conflict: the step cannot go on.
        case broken(CUEError)
        case none
    }

    /// The first action, in the template's order, whose inputs are all known; an action before
    /// it whose inputs conflict stops the step.
    private func firstReady(_ pending: [CUEStepTask]) -> Next {
        for task in pending {
            if task.isWait, task.condition() == nil { continue }
            switch task.inputs() {
            case .success(let inputs): return .ready(task, inputs)
            case .failure(let error) where error.kind != .incomplete: return .broken(error)
            case .failure: continue
            }
        }
        return .none
    }

    /// What fails the step before its next action: an evaluation past its limits, an action of a
    /// provider Tandem does not run (before any action runs), a property the definition does
    /// not accept or one it needs that is missing, a conflict outside the actions yet to run (or
    /// an action a provider does not have: `kube.#Raed`).
    /// A conflict in an action's inputs fails the step when its turn comes: an earlier `#Fail`
    /// may say why.
    private func problem(in root: CUEValue, pending: [CUEStepTask]) -> String? {
        if let error = root.error { return located(error, in: root) }
        if let refused = pending.first(where: { $0.refusedPackage != nil }) { return WorkflowProviderCalls.refusal(refused) }
        if let parameter = root.lookup(["parameter"]), let error = parameter.errors(limit: 1).first {
            let name = error.path.dropFirst().joined(separator: ".")
            return "property \(name.isEmpty ? "" : name + ": ")\(error.message) (\(definition.source.location(of: error.position)))"
        }
        let conflict = root.errors(limit: 20).first { error in
            (error.kind != .incomplete || DefinitionVet.isProblem(error)) && !pending.contains { error.path.starts(with: $0.path) }
        }
        return conflict.map { located($0, in: root) }
    }

    /// Why no action can run: the first one's input that is not known, and the reads that failed.
    private func stuck(_ pending: [CUEStepTask], readErrors: [String], in root: CUEValue) -> String {
        let task = pending[0]
        var text = "\(task.label) cannot run"
        if case .failure(let error) = task.inputs() { text += ": " + located(error, in: root) }
        if !readErrors.isEmpty { text += " (after \(readErrors.joined(separator: "; ")))" }
        return text
    }

    private func located(_ error: CUEError, in root: CUEValue) -> String {
        let place = error.path.isEmpty ? "" : error.path.joined(separator: ".") + ": "
        let position = TemplatePosition.of(error, in: root, template: definition.source.template)
        return "\(place)\(error.message) (\(definition.source.location(of: position)))"
    }
}
