import Foundation
import TandemJSON
import TandemKubeVela
import TandemModel

/// Runs one step of a type the engine knows, or a step type written in CUE.
enum StepExecutor {
    static func execute(_ run: StepRun) async -> StepOutcome {
        switch run.spec.type {
        case StepType.deploy, StepType.applyComponent, StepType.applyApplication:
            return await deliver(run)
        case StepType.suspend:
            return suspend(run)
        case StepType.printMessageInStatus:
            return .succeeded(value: ["parameter": run.properties], message: run.properties["message"]?.string)
        case StepType.dependsOnApp: return await KubeSteps.dependsOnApp(run)
        case StepType.applyObject: return await KubeSteps.applyObject(run)
        case StepType.readObject: return await KubeSteps.readObject(run)
        case StepType.export2config: return await KubeSteps.export2config(run)
        case StepType.export2secret: return await KubeSteps.export2secret(run)
        case StepType.notification: return await HTTPSteps.notification(run)
        case StepType.webhook: return await HTTPSteps.webhook(run)
        case StepType.request: return await HTTPSteps.request(run)
        default:
            guard let definition = run.application.registry.workflowSteps[run.spec.type] as? CUEWorkflowStepDefinition else {
                return .failed("tandem cannot run steps of type '\(run.spec.type)'", retry: false)
            }
            return await custom(definition, run)
        }
    }

    /// deploy, apply-component, apply-application: the host applies the step's objects and says
    /// whether they are healthy.
    static func deliver(_ run: StepRun) async -> StepOutcome {
        guard let delivery = run.spec.delivery else { return .failed("the step delivers nothing", retry: false) }
        if run.properties["auto"]?.bool == false, !run.resumed {
            return .suspended(until: nil, message: "Waiting approval to the deploy step \"\(run.spec.name)\"")
        }
        do {
            switch try await run.host.deliver(delivery) {
            case .ready: return .succeeded(value: .object([:]))
            case .waiting(let message): return .waiting(message)
            case .failed(let message): return .failed(message, retry: false)
            }
        } catch {
            return .failed("\(error)", retry: true)
        }
    }

    /// suspend: until resumed, or until its duration has passed since it began.
    static func suspend(_ run: StepRun) -> StepOutcome {
        if run.resumed { return .succeeded(value: .object([:])) }
        let message = run.properties["message"]?.string
        guard let duration = run.properties["duration"]?.string else { return .suspended(until: nil, message: message) }
        guard let seconds = GoDuration.seconds(duration) else { return .failed("duration '\(duration)' is not a duration", retry: false) }
        let until = run.firstExecuteTime.addingTimeInterval(seconds)
        return until <= run.now ? .succeeded(value: .object([:])) : .suspended(until: until, message: message)
    }

    /// A step type written in CUE, run by its template with KubeVela's providers. Resumed after
    /// it suspended, it is done: what came before the suspend ran.
    static func custom(_ definition: CUEWorkflowStepDefinition, _ run: StepRun) async -> StepOutcome {
        if run.resumed { return .succeeded(value: .object([:])) }
        switch await CUEStepRunner(definition).run(properties: run.properties, context: run.context, providers: run.providers) {
        case .succeeded(let value, let message): return .succeeded(value: value, message: message)
        case .waiting(let message): return .waiting(message)
        case .suspended(let duration, let message):
            let until = duration.map { run.now.addingTimeInterval(TimeInterval($0.components.seconds)) }
            return .suspended(until: until, message: message)
        // A provider's error and the step's own failure read alike: retried, as KubeVela retries a failing step.
        case .failed(let message): return .failed(message, retry: true)
        }
    }
}
