import KubeModel
import TandemJSON
import TandemModel

/// What a definition knows while it renders: the application and component it works for, the
/// target cluster version, the input limits, and where to report problems.
public struct RenderContext {
    public var appName: String
    public var namespace: String?
    public var componentName: String
    public var componentType: String
    public var kubeVersion: KubeVersion
    public var limits: InputLimits
    /// Diagnostics about the definition's `properties`; paths are relative to them.
    public var scope: DiagnosticScope

    public init(
        appName: String, namespace: String?, componentName: String, componentType: String,
        kubeVersion: KubeVersion, limits: InputLimits = .default, scope: DiagnosticScope
    ) {
        self.appName = appName
        self.namespace = namespace
        self.componentName = componentName
        self.componentType = componentType
        self.kubeVersion = kubeVersion
        self.limits = limits
        self.scope = scope
    }

    /// Labels that select the component's pods: both the application and the component, so that
    /// same-named components of two applications never select each other's pods.
    public var selectorLabels: JSONObject {
        [LabelKeys.appName: .string(appName), LabelKeys.component: .string(componentName)]
    }

    /// A new object of the application, in its namespace unless the kind is cluster-scoped.
    public func object(_ gvk: GroupVersionKind, name: String) -> KubeObject {
        let scope = ResourceScope.builtIn(gvk.groupKind)
        return KubeObject(gvk, name: name, namespace: scope == .cluster ? nil : namespace)
    }
}
