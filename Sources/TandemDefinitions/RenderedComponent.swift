import KubeModel
import TandemModel

/// A component's objects as they are being rendered: the workload, which traits edit in turn,
/// and any objects made beside it.
public struct RenderedComponent: Sendable {
    public var workload: KubeObject
    /// Where the pod spec sits in the workload (`spec.template.spec` for a Deployment).
    public var podSpecPath: [String]?
    /// The name of the container built from the component's own parameters.
    public var mainContainer: String?
    /// Whether sidecars default to native ones (pods that run to completion).
    public var prefersNativeSidecars = false
    /// An object other than the workload, and the trait that made it.
    public struct Auxiliary: Sendable {
        public var object: KubeObject
        /// The trait's type; nil for the component's own objects.
        public var traitType: String?
        /// The trait's index in the component's list, filled in by the renderer.
        public var traitIndex: Int?
    }

    public var auxiliaries: [Auxiliary] = []

    public init(workload: KubeObject, podSpecPath: [String]? = nil, mainContainer: String? = nil) {
        self.workload = workload
        self.podSpecPath = podSpecPath
        self.mainContainer = mainContainer
    }

    /// Adds an object beside the workload; traits pass their type.
    public mutating func addObject(_ object: KubeObject, madeBy traitType: String? = nil) {
        auxiliaries.append(Auxiliary(object: object, traitType: traitType))
    }

    /// Edits the pod spec in place; returns `nil` when the workload has none.
    public mutating func editPodSpec<Result>(_ body: (inout PodSpec) -> Result) -> Result? {
        guard let podSpecPath, let json = workload.json[path: podSpecPath]?.object else { return nil }
        var podSpec = PodSpec(json: json)
        workload.json[path: podSpecPath] = .null  // release the old copy so the edit does not copy it
        let result = body(&podSpec)
        workload.json[path: podSpecPath] = .object(podSpec.json)
        return result
    }

    /// Names of the pod's containers, init containers included, in order.
    public var containerNames: [String] { podSpec?.containerNames ?? [] }

    /// Edits the container named `name`, wherever it is in the pod; `false` when there is none.
    @discardableResult
    public mutating func editContainer(named name: String, _ body: (inout JSONObject) -> Void) -> Bool {
        editPodSpec { pod in pod.editContainer(named: name, body) } ?? false
    }

    /// Edits every container of the pod, init containers included.
    public mutating func editContainers(_ body: (inout JSONObject) -> Void) {
        for name in containerNames { editContainer(named: name, body) }
    }

    public var podSpec: PodSpec? {
        podSpecPath.flatMap { workload.json[path: $0]?.object }.map { PodSpec(json: $0) }
    }
}
