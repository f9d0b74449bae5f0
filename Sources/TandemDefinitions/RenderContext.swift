import KubeModel
import TandemJSON
import TandemModel

/// What a definition knows while it renders: the application and component it works for, the
/// target cluster version, the input limits, and where to report problems.
public struct RenderContext {
    public var appName: String
    /// The namespace the component's objects go to: the Application's, or its deploy step's.
    public var namespace: String?
    public var componentName: String
    public var componentType: String
    public var kubeVersion: KubeVersion
    public var limits: InputLimits
    /// Diagnostics about the definition's `properties`; paths are relative to them.
    public var scope: DiagnosticScope
    /// Which labels workloads and Services select the component's pods by.
    public var selector: SelectorLabels
    /// The component's revision, `<component>-<hash>`: it changes whenever the component does.
    public var revision: String
    /// The whole Application, for definitions that read more of it than the names (KubeVela's
    /// `context.appLabels`, `context.components`, a trait's `conflictsWith`); nil in unit use.
    public var application: Application?
    /// The number of the Application's revision being rendered (KubeVela's
    /// `context.appRevisionNum`): 1 until the cluster keeps an earlier one.
    public var appRevisionNumber: Int
    /// The replication key of the copy being rendered (`context.replicaKey`); nil when the
    /// component is not replicated.
    public var replicaKey: String?
    /// What the components rendered, for a policy's template (`context.artifacts`, as KubeVela
    /// fills it: `NAME.workload` and `NAME.traits.TYPE.RESOURCE`); nil for components and traits.
    public var artifacts: JSONValue?

    public init(
        appName: String, namespace: String?, componentName: String, componentType: String,
        kubeVersion: KubeVersion, limits: InputLimits = .default, scope: DiagnosticScope,
        selector: SelectorLabels = .applicationAndComponent, revision: String? = nil, application: Application? = nil,
        appRevisionNumber: Int = 1
    ) {
        self.appRevisionNumber = appRevisionNumber
        self.application = application
        self.appName = appName
        self.namespace = namespace
        self.componentName = componentName
        self.componentType = componentType
        self.kubeVersion = kubeVersion
        self.limits = limits
        self.scope = scope
        self.selector = selector
        self.revision = revision ?? componentName
    }

    /// The labels every pod of the component carries: the application and the component.
    public var podLabels: JSONObject {
        [LabelKeys.appName: .string(appName), LabelKeys.component: .string(componentName)]
    }

    /// Labels that select the component's pods: by default both the application and the
    /// component, so that same-named components of two applications never select each other's
    /// pods; the component only, as KubeVela does, when the Application asks for it.
    public var selectorLabels: JSONObject {
        switch selector {
        case .applicationAndComponent: return podLabels
        case .componentOnly: return [LabelKeys.component: .string(componentName)]
        }
    }

    /// Labels Tandem sets itself, which the application's own labels must not change.
    public static let ownLabelKeys: Set<String> = [LabelKeys.appName, LabelKeys.component, LabelKeys.namespace]

    /// The pod label of KubeVela's `addRevisionLabel`.
    public static let revisionLabel = "app.oam.dev/revision"

    /// A new object of the application, in its namespace unless the kind is cluster-scoped.
    public func object(_ gvk: GroupVersionKind, name: String) -> KubeObject {
        let scope = ResourceScope.builtIn(gvk.groupKind)
        return KubeObject(gvk, name: name, namespace: scope == .cluster ? nil : namespace)
    }
}

/// Which labels workload selectors (and Services) match: set per Application with the
/// `tandem.oam.dev/selector-labels` annotation, so that a workload KubeVela created, whose selector
/// is immutable, can be taken over as it is.
public enum SelectorLabels: String, Sendable, Hashable {
    /// `app.oam.dev/name` and `app.oam.dev/component`: Tandem's default.
    case applicationAndComponent = "app-and-component"
    /// `app.oam.dev/component` only, as KubeVela's built-in types select.
    case componentOnly = "component-only"

    /// The Application annotation that chooses.
    public static let annotation = "tandem.oam.dev/selector-labels"
}
