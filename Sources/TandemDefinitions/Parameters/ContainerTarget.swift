import KubeModel
import TandemModel

/// The `containerName` parameter of traits that change one container: the main container by
/// default, or any other container of the pod by name, sidecars and init containers included.
public enum ContainerTarget {
    public static let schema = Schema.string(
        "The container to change: a sidecar's or init container's name, or empty for the component's main container.")

    /// Edits the targeted container, or reports that the pod has none of that name.
    public static func edit(
        _ properties: JSONValue, _ component: inout RenderedComponent, _ context: RenderContext,
        _ body: (inout JSONObject) -> Void
    ) {
        let requested = properties["containerName"]?.string ?? ""
        let name = requested.isEmpty ? (component.mainContainer ?? context.componentName) : requested
        guard component.editContainer(named: name, body) else {
            let names = component.containerNames
            let suggestion = Suggestion.closest(to: name, among: names)
            context.scope.error(
                "the pod has no container named '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
                at: requested.isEmpty ? [] : ["containerName"], code: "unknown-container",
                hint: "its containers are: \(names.joined(separator: ", ")); a trait sees only the containers of traits listed before it")
            return
        }
    }
}
