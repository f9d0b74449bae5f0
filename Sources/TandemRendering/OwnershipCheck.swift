import KubeModel
import TandemJSON
import TandemDefinitions
import TandemModel

/// Refuses inputs in which two applications share a name, or two components render the same
/// object: applied together, one would silently overwrite the other. Documents are rendered
/// apart (and concurrently); each leaves these small records, and the check runs over all of
/// them at the end, in input order.
struct OwnershipCheck {
    /// An application's identity and where its name was written.
    struct ApplicationRecord: Sendable {
        var name: String
        var namespace: String?
        var file: String?
        var nameLocation: SourceLocation?
    }

    /// An object, who made it, and where to report a collision: the trait's type, or the component's name.
    struct ObjectRecord: Sendable {
        var reference: ObjectReference
        var application: String
        var file: String?
        var origin: ObjectOrigin
        var path: FieldPath
        var location: SourceLocation?
        /// What the trait that made it advises when it collides.
        var hint: String?
        /// Whether a shared-resource policy of its application shares it.
        var isShared = false
    }

    static func records(of rendered: RenderedApplication, registry: DefinitionRegistry) -> (ApplicationRecord, [ObjectRecord]) {
        let application = rendered.application
        let source = application.source
        let objects = rendered.components.flatMap { component in component.objects.map { (component.index, $0) } }.map {
            index, object -> ObjectRecord in
            let component: FieldPath = ["spec", "components", .index(index)]
            let path = object.origin.trait.map { component / "traits" / $0.index / "type" } ?? component / "name"
            return ObjectRecord(reference: object.reference, application: application.name, file: source?.file, origin: object.origin,
                                path: path, location: source.map { SourceLocation(file: $0.file, position: $0.position(of: path)) },
                                hint: object.origin.trait.flatMap { registry.traits[$0.type]?.collisionHint },
                                isShared: isShared(object, rendered.application))
        }
        let record = ApplicationRecord(
            name: application.name, namespace: application.namespace, file: source?.file,
            nameLocation: source.map { SourceLocation(file: $0.file, position: $0.position(of: ["metadata", "name"])) })
        return (record, objects)
    }

    /// Whether a rule of a shared-resource policy selects the object: applications may then
    /// render it both (the first one writes it).
    static func isShared(_ object: RenderedObject, _ application: Application) -> Bool {
        application.policies.filter { $0.type == SharedResourcePolicy().name }.flatMap { $0.properties.list("rules") }.contains { rule in
            ResourceSelector.matches(rule.value("selector"), kind: object.object.kind, name: object.object.name, component: object.origin.component,
                                     componentType: object.origin.componentType, trait: object.origin.trait?.type)
        }
    }

    private var applications: [String: ApplicationRecord] = [:]
    private var owners: [ObjectReference: ObjectRecord] = [:]
    private(set) var diagnostics: [Diagnostic] = []

    mutating func add(_ application: ApplicationRecord, _ objects: [ObjectRecord]) {
        let key = "\(application.namespace ?? "")/\(application.name)"
        if let first = applications[key] {
            let firstPlace = first.nameLocation.map { " at \($0)" } ?? ""
            diagnostics.append(Diagnostic(
                .error, code: .duplicateApplication, "application '\(application.name)' is already defined\(firstPlace)",
                path: ["metadata", "name"], location: application.nameLocation,
                hint: "give each application its own name, or put them in different namespaces"))
        } else {
            applications[key] = application
        }
        for object in objects {
            guard let first = owners[object.reference] else {
                owners[object.reference] = object
                continue
            }
            if first.isShared, object.isShared, first.application != object.application { continue }
            let sameApplication = first.application == object.application && first.file == object.file
            diagnostics.append(Diagnostic(
                .error, code: .duplicateObject,
                "\(object.reference) is rendered by \(object.origin.description) and also by \(first.origin.description)"
                    + (sameApplication ? "" : " of application '\(first.application)'"),
                path: object.path, location: object.location,
                hint: object.hint ?? first.hint ?? (object.origin.trait != nil || first.origin.trait != nil
                    ? "two outputs would overwrite each other: remove one, or give one another name"
                    : "rename one of the components, or deploy the applications to different namespaces")))
        }
    }
}
