import KubeModel
import TandemModel
import TandemParsing

/// Refuses inputs in which two applications share a name, or two components render the same
/// object: applied together, one would silently overwrite the other.
enum OwnershipCheck {
    static func run(applications: [Application], objects: [RenderedObject], log: DiagnosticLog) {
        var applicationsByKey: [String: Application] = [:]
        for application in applications {
            let key = "\(application.namespace ?? "")/\(application.name)"
            if let first = applicationsByKey[key] {
                let scope = DiagnosticScope(log: log, file: application.source.file, document: application.source.root)
                let firstLocation = SourceLocation(file: first.source.file, position: first.source.root.position(of: ["metadata", "name"]))
                scope.error("application '\(application.name)' is already defined at \(firstLocation)", at: ["metadata", "name"],
                            code: "duplicate-application", hint: "give each application its own name, or put them in different namespaces")
            } else {
                applicationsByKey[key] = application
            }
        }
        var owners: [String: RenderedObject] = [:]
        for rendered in objects {
            let object = rendered.object
            let key = "\(object.group)/\(object.kind)/\(object.namespace ?? "")/\(object.name)"
            guard let first = owners[key] else {
                owners[key] = rendered
                continue
            }
            let source = rendered.application.source
            let scope = DiagnosticScope(log: log, file: source.file, document: source.root)
            let sameApplication = first.application.name == rendered.application.name && first.application.source.file == source.file
            scope.error(
                "\(object.displayName) is rendered by \(rendered.origin) and also by \(first.origin)"
                    + (sameApplication ? "" : " of application '\(first.application.name)'"),
                at: rendered.path, code: "duplicate-object",
                hint: rendered.traitIndex != nil || first.traitIndex != nil
                    ? "two outputs would overwrite each other: remove one, or give one another name"
                    : "rename one of the components, or deploy the applications to different namespaces")
        }
    }
}
