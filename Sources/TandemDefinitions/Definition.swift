import KubeModel
import TandemJSON
import TandemModel

/// A component type: a parameter schema and how its parameters become a workload.
public protocol ComponentDefinition: Sendable {
    var name: String { get }
    var description: String { get }
    var parameters: Schema { get }
    /// Whether the workload has, or may have, a pod template that traits such as `sidecar` can add
    /// to (for k8s-objects, when its first object has one: the renderer checks).
    var hasPodTemplate: Bool { get }
    /// Whether the workload's pods run to completion (a Job); their sidecars default to native.
    var runsToCompletion: Bool { get }
    /// A complete Application using this type, for the reference manual.
    var example: String { get }

    /// Why the workload cannot be named after this application and component (Kubernetes'
    /// length limits on what is derived from the names), or nil.
    func nameProblem(appName: String, componentName: String) -> NameProblem?

    /// Checks parameters the schema found valid in ways the schema cannot say, each problem
    /// reported in `scope` (the parameters' own); false when there was one. It may settle them
    /// for rendering (`Parameters.settled`), so that rendering does not evaluate them again.
    func check(_ parameters: inout Parameters, scope: DiagnosticScope) -> Bool

    /// Renders validated, defaulted parameters. Problems found here go to `context.scope`.
    func render(_ parameters: Parameters, context: RenderContext) -> ComponentDraft

    /// The definition's own health rules for this component (KubeVela's `attributes.status`),
    /// or nil: the built-ins are judged by the rules for the kinds of their objects alone.
    func healthPolicy(_ parameters: Parameters, context: RenderContext, outputs: [HealthPolicy.Output]) -> HealthPolicy?
}

/// Why a component's name does not fit what it renders.
public struct NameProblem: Sendable {
    public var message: String
    public var hint: String

    public init(message: String, hint: String) {
        self.message = message
        self.hint = hint
    }
}

extension ComponentDefinition {
    public var hasPodTemplate: Bool { true }
    public var runsToCompletion: Bool { false }
    public func nameProblem(appName: String, componentName: String) -> NameProblem? { nil }
    public func check(_ parameters: inout Parameters, scope: DiagnosticScope) -> Bool { true }
    public func healthPolicy(_ parameters: Parameters, context: RenderContext, outputs: [HealthPolicy.Output]) -> HealthPolicy? { nil }
}

/// A trait type: a parameter schema and how it changes a rendered component.
public protocol TraitDefinition: Sendable {
    var name: String { get }
    var description: String { get }
    var parameters: Schema { get }
    /// The component types this trait fits.
    var appliesTo: TraitTarget { get }
    /// A complete Application using this trait, for the reference manual.
    var example: String { get }

    /// Checks parameters the schema found valid in ways the schema cannot say, each problem
    /// reported in `scope` (the parameters' own); false when there was one. It may settle them
    /// for rendering (`Parameters.settled`), so that rendering does not evaluate them again.
    func check(_ parameters: inout Parameters, scope: DiagnosticScope) -> Bool

    /// Applies validated, defaulted parameters to the component as earlier traits left it.
    func apply(_ parameters: Parameters, to component: inout ComponentDraft, context: RenderContext)

    /// What to do when an object this trait makes has the name of another object of the
    /// application: the fixes this trait offers (nil for the generic advice).
    var collisionHint: String? { get }

    /// The definition's own health rules for this use of the trait (KubeVela's
    /// `attributes.status`), or nil: the built-ins are judged by their objects alone.
    func healthPolicy(_ parameters: Parameters, context: RenderContext, outputs: [HealthPolicy.Output]) -> HealthPolicy?
}

extension TraitDefinition {
    public var collisionHint: String? { nil }
    public func check(_ parameters: inout Parameters, scope: DiagnosticScope) -> Bool { true }
    public func healthPolicy(_ parameters: Parameters, context: RenderContext, outputs: [HealthPolicy.Output]) -> HealthPolicy? { nil }
}

/// Which component types a trait fits.
public enum TraitTarget: Sendable {
    case all
    /// Every component type with a pod template.
    case podTemplate
    /// These component types only.
    case types([String])

    public func fits(_ component: any ComponentDefinition) -> Bool {
        switch self {
        case .all: return true
        case .podTemplate: return component.hasPodTemplate
        case .types(let names): return names.contains(component.name)
        }
    }
}
