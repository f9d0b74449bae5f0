import KubeModel
import TandemJSON
import TandemModel

/// Objects given whole (`k8s-objects`, `raw`): their checks, and the component they make.
package enum KubernetesObjects {
    /// Reports what makes `object` no Kubernetes object, and what Kubernetes would refuse in the kinds Tandem models.
    package static func check(_ object: JSONValue, _ scope: DiagnosticScope) {
        guard object.object != nil else {
            scope.error("an object must be a mapping", code: .invalidObject)
            return
        }
        for field in ["apiVersion", "kind"] where (object[field]?.string ?? "").isEmpty {
            scope.error("the object has no \(field)", code: .invalidObject)
        }
        if let apiVersion = object["apiVersion"]?.string, !apiVersion.isEmpty, !isAPIVersion(apiVersion) {
            scope.error("\(SchemaValidator.quoted(apiVersion)) is not an API version", at: ["apiVersion"], code: .invalidObject,
                        hint: "write a version such as v1, or a group and a version such as apps/v1")
        }
        if let kind = object["kind"]?.string, !kind.isEmpty, !isKind(kind) {
            scope.error("\(SchemaValidator.quoted(kind)) is not a kind: a kind is a word of letters and digits, such as ConfigMap",
                        at: ["kind"], code: .invalidObject)
        }
        if let name = object[path: ["metadata", "name"]]?.string, let problem = StringFormat.dns1123Subdomain.violation(in: name) {
            scope.error("\(SchemaValidator.quoted(name)) is not a valid object name: \(problem)", at: ["metadata", "name"], code: .invalidObject)
        }
        // An object given by its metadata alone names a live object (to adopt or read, as a
        // take-over or read-only policy says): the application checks that a policy selects it.
        if let kind = object["kind"]?.string, !isReference(object), let schema = KubeObjectSchemas.schema(for: GroupVersionKind(
            apiVersion: object["apiVersion"]?.string ?? "", kind: kind).groupKind) {
            _ = SchemaValidator.conforms(object, to: schema, in: scope)
        }
    }

    /// Whether the object gives only its identity (apiVersion, kind, metadata) where its kind
    /// needs more to be created (a Deployment without a spec), as KubeVela's take-over example
    /// does to adopt a live object as it is.
    package static func isReference(_ object: JSONValue) -> Bool {
        guard let members = object.object, members.allSatisfy({ ["apiVersion", "kind", "metadata"].contains($0.key) }),
              let kind = object["kind"]?.string,
              let schema = KubeObjectSchemas.schema(for: GroupVersionKind(apiVersion: object["apiVersion"]?.string ?? "", kind: kind).groupKind)
        else { return false }
        return !SchemaValidator.conforms(object, to: schema, in: DiagnosticScope(log: DiagnosticLog(), source: nil))
    }

    /// What `isAPIVersion` and `isKind` accept, as patterns for the editor's schema.
    static let apiVersionPattern = "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[a-z]([-a-z0-9]*[a-z0-9])?$"
    static let kindPattern = "^[A-Za-z][A-Za-z0-9]*$"

    /// `v1` or `apps/v1`: an optional group (a DNS subdomain), then a version (a DNS label
    /// starting with a letter), as the API server reads them.
    static func isAPIVersion(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let version = parts.last, version.first?.isLetter == true,
              StringFormat.dns1123Label.violation(in: String(version)) == nil else { return false }
        return parts.count == 1 || StringFormat.dns1123Subdomain.violation(in: String(parts[0])) == nil
    }

    /// `ConfigMap`: ASCII letters and digits, starting with a letter.
    static func isKind(_ text: String) -> Bool {
        func isLetter(_ scalar: Unicode.Scalar) -> Bool { ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar) }
        guard let first = text.unicodeScalars.first, isLetter(first) else { return false }
        return text.unicodeScalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) }
    }

    /// The component: the first object is the workload, whose pod template (if it has one) traits change.
    package static func draft(_ objects: [JSONValue], context: RenderContext) -> ComponentDraft {
        let objects = objects.map { json -> KubeObject in
            // apiVersion, kind and metadata first, as Kubernetes writes objects.
            let members = json.object ?? JSONObject()
            let first = ["apiVersion", "kind", "metadata"]
            var ordered = JSONObject(first.compactMap { key in members[key].map { JSONObject.Member(key: key, value: $0) } })
            if ordered["metadata"] == nil { ordered.append("metadata", .object(JSONObject())) }
            for member in members where !first.contains(member.key) { ordered.append(member.key, member.value) }
            var object = KubeObject(json: .object(ordered))
            if object.name.isEmpty, let metadata = object.json["metadata"]?.object {
                var named: JSONObject = ["name": .string(context.componentName)]
                for member in metadata where member.key != "name" { named.append(member.key, member.value) }
                object.json["metadata"] = .object(named)
            }
            if object.namespace == nil, !object.isClusterScoped, let namespace = context.namespace {
                object.json[path: ["metadata", "namespace"]] = .string(namespace)
            }
            return object
        }
        let workload = objects.first ?? KubeObject(json: .null)
        let podSpecPath = KindCatalog.entry(for: workload.gvk.groupKind).podSpecPath.flatMap { path in workload.json[path: path]?.object == nil ? nil : path }
        let containers = podSpecPath.flatMap { workload.json[path: $0 + ["containers"]]?.array } ?? []
        let names = containers.compactMap { $0["name"]?.string }
        // Traits address the container named after the component, as in KubeVela, else the first.
        var draft = ComponentDraft(workload: workload, podSpecPath: podSpecPath,
                                   mainContainer: names.contains(context.componentName) ? context.componentName : names.first)
        draft.prefersNativeSidecars = [GroupVersionKind.job.groupKind, GroupVersionKind.cronJob.groupKind].contains(workload.gvk.groupKind)
        for object in objects.dropFirst() { draft.addObject(object) }
        return draft
    }
}
