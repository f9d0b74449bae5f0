import KubeModel
import TandemJSON
import TandemModel

/// A component's objects while it is being rendered: the workload, which traits edit in turn,
/// and the objects made beside it. The renderer notes which trait made each object and container.
public struct ComponentDraft: Sendable {
    public var workload: KubeObject
    /// Where the pod spec sits in the workload (`spec.template.spec` for a Deployment).
    public var podSpecPath: [String]?
    /// The name of the container built from the component's own parameters.
    public var mainContainer: String?
    /// Whether sidecars default to native ones (pods that run to completion).
    public var prefersNativeSidecars = false
    /// The objects other than the workload, in the order they were made.
    public private(set) var auxiliaries: [KubeObject] = []
    /// Where each probe was written in the Application, by container and field (`livenessProbe`),
    /// so that a later check can point at the probe; probes added by raw patches have none.
    public var probeSources: [ProbeSlot: FieldPath] = [:]
    /// The name a KubeVela template gave each object beside the workload (its key in `outputs`),
    /// by position in `auxiliaries`: later traits see them as `context.outputs` and patch them.
    public private(set) var outputNames: [Int: String] = [:]

    public init(workload: KubeObject, podSpecPath: [String]? = nil, mainContainer: String? = nil) {
        self.workload = workload
        self.podSpecPath = podSpecPath
        self.mainContainer = mainContainer
    }

    /// Adds an object beside the workload.
    public mutating func addObject(_ object: KubeObject) {
        auxiliaries.append(object)
    }

    /// Adds an object a template made as `outputs.<outputName>`.
    public mutating func addObject(_ object: KubeObject, outputName: String) {
        outputNames[auxiliaries.count] = outputName
        auxiliaries.append(object)
    }

    /// The objects beside the workload that have output names, by name (the last of a name wins,
    /// as a later trait's output of the same name replaces an earlier one in KubeVela).
    public var namedOutputs: [String: Int] {
        Dictionary(outputNames.map { ($1, $0) }, uniquingKeysWith: { max($0, $1) })
    }

    /// Edits the object beside the workload at `index` in `auxiliaries`.
    public mutating func editObject(at index: Int, _ body: (inout KubeObject) -> Void) {
        guard auxiliaries.indices.contains(index) else { return }
        body(&auxiliaries[index])
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

    public var podSpec: PodSpec? {
        podSpecPath.flatMap { workload.json[path: $0]?.object }.map { PodSpec(json: $0) }
    }

    /// The path of the pod template's metadata, and of a CronJob's job template metadata.
    public var templateMetadataPaths: [[String]] {
        guard let podSpecPath else { return [] }
        var paths = [Array(podSpecPath.dropLast()) + ["metadata"]]
        if podSpecPath.count > 3 { paths.append(Array(podSpecPath.dropLast(3)) + ["metadata"]) }  // a CronJob's jobTemplate
        return paths
    }
}
