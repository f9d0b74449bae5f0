import TandemCUE
import TandemDefinitions
import TandemModel

/// The checks that span a workflow's steps, so that a workflow that cannot run is refused
/// before anything is applied: step names used twice, dependsOn naming no step or going in a
/// circle, an `if` or `valueFrom` that is not a CUE expression, a timeout or suspend duration
/// that is not a duration, and inputs that no step outputs.
struct WorkflowChecks {
    let steps: [Application.WorkflowStep]
    let mode: Application.WorkflowMode
    let root: DiagnosticScope

    func check() {
        let all = steps.flatMap(\.flattened)
        checkNames(all)
        checkDependencies(all)
        let outputs = all.flatMap { $0.outputs.map(\.name) }
        for step in all { checkExpressionsAndDurations(step, outputs: outputs) }
    }

    /// Names are one namespace across steps and sub-steps (`status.NAME`, `dependsOn`); a
    /// name used twice in one list is reported by the schema already.
    private func checkNames(_ all: [Application.WorkflowStep]) {
        var first: [String: Application.WorkflowStep] = [:]
        for step in all {
            guard let earlier = first[step.name] else {
                first[step.name] = step
                continue
            }
            guard earlier.path.components.dropLast() != step.path.components.dropLast() else { continue }
            root.scoped(step.path).error("step name '\(step.name)' is used by \(Self.describe(earlier.path)) already", at: ["name"],
                                         code: .duplicateItem, hint: "steps and sub-steps need names unique in the whole workflow")
        }
    }

    private func checkDependencies(_ all: [Application.WorkflowStep]) {
        let names = all.map(\.name)
        var edges: [String: [String]] = [:]
        for step in all {
            for (index, dependency) in step.dependsOn.enumerated() where !names.contains(dependency) {
                let suggestion = Suggestion.closest(to: dependency, among: names)
                root.scoped(step.path).error("no step is named '\(dependency)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
                                             at: ["dependsOn", .index(index)], code: .invalidDependency)
            }
            edges[step.name, default: []] += step.dependsOn
        }
        // In StepByStep mode a step also waits for every step before it in its list.
        func addOrder(_ list: [Application.WorkflowStep], _ kind: Application.WorkflowMode.Kind) {
            guard kind == .stepByStep else { return }
            for (index, step) in list.enumerated() { edges[step.name, default: []] += list[..<index].map(\.name) }
        }
        addOrder(steps, mode.steps ?? .stepByStep)
        for group in steps where !group.subSteps.isEmpty { addOrder(group.subSteps, mode.subSteps ?? .dag) }
        guard let cycle = DependencyOrder.cycle(names, edges), let step = all.first(where: { $0.name == cycle[0] }) else { return }
        let explicit = zip(cycle, cycle.dropFirst()).allSatisfy { from, to in
            all.first { $0.name == from }?.dependsOn.contains(to) == true
        }
        root.scoped(step.path).error("the steps wait for each other: \(cycle.joined(separator: " → "))",
                                     at: step.dependsOn.isEmpty ? ["name"] : ["dependsOn"], code: .dependencyCycle,
                                     hint: explicit ? "remove one of these dependsOn"
                                         : "in StepByStep mode a step also waits for the steps before it: depend on earlier steps, or set mode: {steps: DAG}")
    }

    private func checkExpressionsAndDurations(_ step: Application.WorkflowStep, outputs: [String]) {
        let scope = root.scoped(step.path)
        if let condition = step.condition, condition.trimmingCharacters(in: .whitespaces) != "always" {
            if let problem = Self.parseProblem(condition) {
                scope.error("if: '\(condition)' is not a CUE expression: \(problem)", at: ["if"], code: .invalidValue,
                            hint: "write always, or a condition such as status.build.phase == \"succeeded\"")
            }
        }
        for (index, output) in step.outputs.enumerated() {
            if let problem = Self.parseProblem(output.valueFrom) {
                scope.error("valueFrom: '\(output.valueFrom)' is not a CUE expression: \(problem)", at: ["outputs", .index(index), "valueFrom"],
                            code: .invalidValue, hint: "write a path into the step's value, such as output.value.status")
            }
        }
        if step.type == NotificationStep().name, step.properties["email"] != nil {
            scope.error("tandem does not send email", at: ["properties", "email"], code: .unsupportedFeature,
                        hint: "send the message to slack, dingding or lark")
        }
        if let timeout = step.timeout, GoDuration.seconds(timeout) == nil {
            scope.error("timeout '\(timeout)' is not a duration", at: ["timeout"], code: .invalidFormat, hint: Self.durationHint)
        }
        if step.type == SuspendStep().name, let duration = step.properties["duration"]?.string, GoDuration.seconds(duration) == nil {
            scope.error("duration '\(duration)' is not a duration", at: ["properties", "duration"], code: .invalidFormat, hint: Self.durationHint)
        }
        for (index, input) in step.inputs.enumerated() where input.parameterKey != nil && input.parameterPath == nil {
            scope.error("parameterKey '\(input.parameterKey ?? "")' is not a path into the step's properties", at: ["inputs", .index(index), "parameterKey"],
                        code: .invalidValue, hint: "write keys joined by dots, such as slack.message.text, or data[\"my-key\"]")
        }
        for (index, input) in step.inputs.enumerated() where !outputs.contains(input.from) {
            let suggestion = Suggestion.closest(to: input.from, among: outputs)
            scope.error("no step outputs '\(input.from)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
                        at: ["inputs", .index(index), "from"], code: .unknownReference,
                        hint: suggestion == nil ? "an input names an output of an earlier step: outputs: [{name: \(input.from), valueFrom: ...}]" : nil)
        }
    }

    static let durationHint = "write a duration such as 30s, 10m or 1h30m"

    /// Why `text` is not one CUE expression, or nil when it is.
    static func parseProblem(_ text: String) -> String? {
        do {
            _ = try CUEExpression(text)
            return nil
        } catch {
            return error.errors.first.map(\.message) ?? "\(error)"
        }
    }

    /// `workflow.steps[1]` or `workflow.steps[1].subSteps[0]`, for messages.
    static func describe(_ path: FieldPath) -> String { path.description }
}
