import KubeModel
import TandemJSON
import TandemKubeVela

/// One numbered revision of an Application, as KubeVela's `ApplicationRevision` holds it:
/// `APP-vN`, the Application as it was deployed and the definitions it rendered with.
public struct ApplicationRevision: Sendable {
    public var application: String
    public var number: Int
    public var content: RevisionContent
    /// When it was recorded (the object's creationTimestamp); nil when the server did not say.
    public var created: String?
    /// The earlier revision whose content this one brought back, when it did.
    public var restores: Int?
    /// The object it was read from; nil for one not recorded yet.
    public var storedIn: ObjectReference?

    public init(application: String, number: Int, content: RevisionContent, created: String? = nil, restores: Int? = nil) {
        self.application = application
        self.number = number
        self.content = content
        self.created = created
        self.restores = restores
    }

    /// `APP-vN`, KubeVela's name.
    public var name: String { Self.name(application: application, number: number) }

    public static func name(application: String, number: Int) -> String { "\(application)-v\(number)" }

    public static let gvk = GroupVersionKind(apiVersion: "core.oam.dev/v1beta1", kind: "ApplicationRevision")
    /// KubeVela's label with the revision's digest.
    public static let digestLabel = "app.oam.dev/app-revision-hash"
    /// The revision a rollback (or a deploy of an earlier spec) brought back.
    public static let restoresAnnotation = "tandem.oam.dev/restores-revision"

    /// The `ApplicationRevision` object in KubeVela's shape, in `namespace`.
    public func object(namespace: String) -> KubeObject {
        var object = KubeObject(Self.gvk, name: name, namespace: namespace)
        object.addLabels([(LabelKeys.appName, application), (LabelKeys.namespace, namespace), (Self.digestLabel, content.digest)])
        if let restores { object.addAnnotations([(Self.restoresAnnotation, String(restores))]) }
        var spec: JSONObject = ["application": content.application]
        for (field, definitions) in content.definitionsByField { spec.append(field, .object(definitions)) }
        object.json["spec"] = .object(spec)
        return object
    }

    /// The revision an `ApplicationRevision` object of `application` holds; nil when it is not
    /// one of its revisions (its name is not `APP-vN`).
    public init?(object: KubeObject, application: String) {
        let prefix = "\(application)-v"
        guard object.name.hasPrefix(prefix), let number = Int(object.name.dropFirst(prefix.count)), number > 0,
              let stored = object.json[path: ["spec", "application"]], stored.object != nil else { return nil }
        var definitions: [JSONValue] = []
        for field in DefinitionKind.allCases.map(RevisionContent.field) {
            for member in object.json[path: ["spec", field]]?.object ?? JSONObject() { definitions.append(member.value) }
        }
        self.init(application: application, number: number, content: RevisionContent(application: stored, definitions: definitions),
                  created: object.json[path: ["metadata", "creationTimestamp"]]?.string,
                  restores: object.json[path: ["metadata", "annotations", Self.restoresAnnotation]]?.string.flatMap { Int($0) })
        storedIn = object.reference
    }

    /// KubeVela's `status.latestRevision`.
    public var latestRevisionStatus: JSONValue {
        ["name": .string(name), "revision": .int(number), "revisionHash": .string(content.digest)]
    }
}

