import Foundation
import TandemRendering

/// An application whose deploy steps deliver into several namespaces (a staging and a
/// production step) runs locally as one application per namespace, as it would be in a cluster:
/// each its own pods, state folder and label, keyed by namespace and name.
public enum NamespaceSplit {
    public static func split(_ application: RenderedApplication) -> [RenderedApplication] {
        let home = application.namespace ?? "default"
        func namespace(_ object: RenderedObject) -> String? {
            object.object.isClusterScoped ? nil : (object.object.namespace ?? home)
        }
        var namespaces: [String] = []
        for object in application.objects {
            if let name = namespace(object), !namespaces.contains(name) { namespaces.append(name) }
        }
        guard namespaces.count > 1 else { return [application] }
        return namespaces.map { target in
            var copy = application
            copy.application.namespace = target
            copy.components = application.components.compactMap { component in
                var component = component
                component.objects = component.objects.filter { namespace($0) == target || namespace($0) == nil }
                return component.objects.isEmpty ? nil : component
            }
            return copy
        }
    }
}
