import KubeModel
import TandemJSON
import TandemModel

/// The `containerName` parameter of traits that change one container: the main container by
/// default, or any other container of the pod by name, sidecars and init containers included.
package enum ContainerTarget {
    package static let schema = Schema.string(
        "The container to change: a sidecar's or init container's name, or empty for the component's main container.")

    /// The container that `containerName` names, or nil after reporting that the pod has none of
    /// that name.
    package static func resolve(_ properties: Parameters, in component: ComponentDraft, _ context: RenderContext) -> String? {
        let requested = properties["containerName"]?.string ?? ""
        let name = requested.isEmpty ? (component.mainContainer ?? context.componentName) : requested
        let names = component.containerNames
        guard names.contains(name) else {
            let suggestion = Suggestion.closest(to: name, among: names)
            context.scope.error(
                "the pod has no container named '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
                at: requested.isEmpty ? [] : ["containerName"], code: .unknownContainer,
                hint: "its containers are: \(names.joined(separator: ", ")); a trait sees only the containers of traits listed before it")
            return nil
        }
        return name
    }

    /// Edits the targeted container, or reports that the pod has none of that name.
    package static func edit(
        _ properties: Parameters, _ component: inout ComponentDraft, _ context: RenderContext,
        _ body: (inout JSONObject) -> Void
    ) {
        guard let name = resolve(properties, in: component, context) else { return }
        component.editContainer(named: name, body)
    }
}
