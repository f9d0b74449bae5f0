import KubeModel
import TandemModel

/// What a definition knows while it renders: the application and component it works for, the
/// target cluster version, and where to report problems.
public struct RenderContext {
    public var appName: String
    public var namespace: String?
    public var componentName: String
    public var componentType: String
    public var kubeVersion: KubeVersion
    /// Diagnostics about the definition's `properties`; paths are relative to them.
    public var scope: DiagnosticScope

    public init(
        appName: String, namespace: String?, componentName: String, componentType: String,
        kubeVersion: KubeVersion, scope: DiagnosticScope
    ) {
        self.appName = appName
        self.namespace = namespace
        self.componentName = componentName
        self.componentType = componentType
        self.kubeVersion = kubeVersion
        self.scope = scope
    }

    /// Labels that select the component's pods: both the application and the component, so that
    /// same-named components of two applications never select each other's pods.
    public var selectorLabels: JSONObject {
        JSONObject([
            .init(key: Labels.appName, value: .string(appName)),
            .init(key: Labels.component, value: .string(componentName)),
        ])
    }
}

/// The label keys Tandem stamps on what it renders.
public enum Labels {
    public static let appName = "app.oam.dev/name"
    public static let component = "app.oam.dev/component"
    public static let namespace = "app.oam.dev/namespace"
    public static let workloadType = "workload.oam.dev/type"
    public static let traitType = "trait.oam.dev/type"
}
