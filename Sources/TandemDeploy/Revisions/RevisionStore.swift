import KubeClient
import KubeModel
import TandemJSON

/// Where an application's revisions are kept: KubeVela's `ApplicationRevision` objects when the
/// cluster serves that kind (`tandem install` adds it), otherwise a Secret per revision, as Helm
/// keeps its releases — the same content either way. Revisions are numbered from 1; the oldest
/// beyond `historyLimit` are deleted, never the newest (the current one).
public struct RevisionStore: Sendable {
    public enum Backing: String, Sendable {
        case applicationRevisions = "ApplicationRevision"
        case secrets = "Secret"
    }

    public let client: KubeClient
    public let application: String
    public let namespace: String
    public let backing: Backing
    /// The Application that owns the revisions (the controller's), so that they go with it.
    public var owner: KubeObject?
    public var historyLimit: Int

    public static let defaultHistoryLimit = 10
    public static let secretType = "tandem.oam.dev/revision"
    /// The label of a revision Secret with its number.
    public static let numberLabel = "tandem.oam.dev/revision"
    static let secretKey = "revision"

    public init(client: KubeClient, application: String, namespace: String, backing: Backing, owner: KubeObject? = nil,
                historyLimit: Int = RevisionStore.defaultHistoryLimit) {
        self.client = client
        self.application = application
        self.namespace = namespace
        self.backing = backing
        self.owner = owner
        self.historyLimit = max(1, historyLimit)
    }

    /// The store of `application`, backed by what the cluster serves.
    public static func open(client: KubeClient, application: String, namespace: String, owner: KubeObject? = nil,
                            historyLimit: Int = RevisionStore.defaultHistoryLimit) async throws -> RevisionStore {
        RevisionStore(client: client, application: application, namespace: namespace, backing: try await backing(client),
                      owner: owner, historyLimit: historyLimit)
    }

    /// `applicationRevisions` when the cluster serves the kind.
    public static func backing(_ client: KubeClient) async throws -> Backing {
        do {
            _ = try await client.resource(for: ApplicationRevision.gvk)
            return .applicationRevisions
        } catch KubeError.configuration {
            return .secrets
        }
    }

    /// Every revision kept, oldest first. With ApplicationRevisions, those kept in Secrets before
    /// the kind was installed count too, so that numbering goes on and the limit trims them.
    public func list() async throws -> [ApplicationRevision] {
        let secrets = try await client.list(.secret, namespace: namespace,
                                            labelSelector: "\(LabelKeys.appName)=\(application),\(Self.numberLabel)").items
        var revisions: [Int: ApplicationRevision] = [:]
        for revision in secrets.compactMap(revision(inSecret:)) { revisions[revision.number] = revision }
        if backing == .applicationRevisions {
            let objects = try await client.list(ApplicationRevision.gvk, namespace: namespace,
                                                labelSelector: "\(LabelKeys.appName)=\(application)").items
            for revision in objects.compactMap({ ApplicationRevision(object: $0, application: application) }) {
                revisions[revision.number] = revision
            }
        }
        return revisions.values.sorted { $0.number < $1.number }
    }

    /// Revision `number`, when it is kept.
    public func revision(_ number: Int) async throws -> ApplicationRevision? {
        try await list().first { $0.number == number }
    }

    /// The revision a deploy of `content` is: the latest when nothing changed since it, else a
    /// new one numbered after it, which says which earlier revision it brings back, if any.
    /// `latest` is the Application's `status.latestRevision`, when it has one: the latest
    /// revision is not read again when it says the content did not change.
    public func next(for content: RevisionContent, latest: JSONValue? = nil) async throws -> PendingRevision {
        if let latest, latest["revisionHash"]?.string == content.digest, let number = latest["revision"]?.int {
            return PendingRevision(revision: ApplicationRevision(application: application, number: number, content: content),
                                   isNew: false, store: self, earlier: [])
        }
        let revisions = try await list()
        if let latest = revisions.last, latest.content.digest == content.digest {
            return PendingRevision(revision: latest, isNew: false, store: self, earlier: [])
        }
        let restored = revisions.last { $0.content.digest == content.digest }
        let revision = ApplicationRevision(application: application, number: (revisions.last?.number ?? 0) + 1, content: content,
                                           restores: restored?.number)
        return PendingRevision(revision: revision, isNew: true, store: self, earlier: revisions)
    }

    /// Writes `revision`, then deletes the oldest beyond the history limit; `earlier` are the
    /// revisions kept before it, when the caller has just read them (nil: read them again).
    @discardableResult
    public func record(_ revision: ApplicationRevision, earlier: [ApplicationRevision]? = nil) async throws -> ApplicationRevision {
        let written = try await client.apply(object(for: revision), options: ApplyOptions(force: true)).object
        var recorded = revision
        recorded.created = written.json[path: ["metadata", "creationTimestamp"]]?.string
        recorded.storedIn = written.reference
        let revisions: [ApplicationRevision]
        if let earlier { revisions = earlier + [recorded] } else { revisions = try await list() }
        for old in revisions.dropLast(historyLimit) where old.number < revision.number {
            try await client.delete(old.storedIn ?? reference(old.number))
        }
        return recorded
    }

    /// Deletes every revision; returns how many there were.
    @discardableResult
    public func deleteAll() async throws -> Int {
        let revisions = try await list()
        for revision in revisions { try await client.delete(revision.storedIn ?? reference(revision.number)) }
        return revisions.count
    }

    /// Where revision `number` is kept.
    public func reference(_ number: Int) -> ObjectReference {
        switch backing {
        case .applicationRevisions:
            ObjectReference(gvk: ApplicationRevision.gvk, namespace: namespace, name: ApplicationRevision.name(application: application, number: number))
        case .secrets:
            ObjectReference(gvk: .secret, namespace: namespace, name: Self.secretName(application: application, number: number))
        }
    }

    /// `tandem.revision.APP.vN`, as Helm names its release Secrets.
    public static func secretName(application: String, number: Int) -> String { "tandem.revision.\(application).v\(number)" }

    /// The object that keeps `revision`: an ApplicationRevision, or a Secret holding one.
    func object(for revision: ApplicationRevision) -> KubeObject {
        var object = revision.object(namespace: namespace)
        if backing == .secrets {
            var secret = KubeObject(.secret, name: Self.secretName(application: application, number: revision.number), namespace: namespace)
            secret.addLabels([(LabelKeys.appName, application), (Self.numberLabel, String(revision.number)),
                              (ApplicationRevision.digestLabel, revision.content.digest)])
            if let restores = revision.restores { secret.addAnnotations([(ApplicationRevision.restoresAnnotation, String(restores))]) }
            secret.json["type"] = .string(Self.secretType)
            secret.json["data"] = [Self.secretKey: .string(Base64.encode(JSONWriter.compactBytes(object.json)))]
            object = secret
        }
        if let owner, let uid = owner.json[path: ["metadata", "uid"]]?.string {
            object.json[path: ["metadata", "ownerReferences"]] = [[
                "apiVersion": .string(owner.apiVersion), "kind": .string(owner.kind), "name": .string(owner.name),
                "uid": .string(uid), "controller": true,
            ]]
        }
        return object
    }

    /// The revision a Secret of this store keeps; nil for another Secret or one that does not read.
    func revision(inSecret secret: KubeObject) -> ApplicationRevision? {
        guard secret.json["type"]?.string == Self.secretType,
              let encoded = secret.json[path: ["data", Self.secretKey]]?.string, let bytes = Base64.decode(encoded),
              let json = try? JSONReader().read(bytes),
              var revision = ApplicationRevision(object: KubeObject(json: json), application: application) else { return nil }
        revision.created = secret.json[path: ["metadata", "creationTimestamp"]]?.string
        revision.storedIn = secret.reference
        return revision
    }
}

/// The revision a deploy is about to be: the latest one again, or a new one to record once the
/// deploy applied.
public struct PendingRevision: Sendable {
    public var revision: ApplicationRevision
    /// Whether it is new (the spec or its definitions changed since the latest).
    public var isNew: Bool
    public let store: RevisionStore
    /// The revisions kept before it, as read when it was decided (empty when it is not new).
    let earlier: [ApplicationRevision]

    public var number: Int { revision.number }

    /// Records the revision if it is new; returns it as kept.
    @discardableResult
    public func record() async throws -> ApplicationRevision {
        guard isNew else { return revision }
        return try await store.record(revision, earlier: earlier)
    }
}
