import Foundation
import TandemJSON
import TandemKubeVela
import TandemParsing

/// The steps that read and write the cluster through `vela/kube`: apply-object, read-object,
/// export2config, export2secret and depends-on-app.
enum KubeSteps {
    /// apply-object: server-side applies `value`; the live object is the step's value.
    static func applyObject(_ run: StepRun) async -> StepOutcome {
        if let failure = localCluster(run) { return failure }
        guard let value = run.properties["value"] else { return .failed("apply-object needs a value", retry: false) }
        do {
            let live = try await run.providers.apply(value)
            return .succeeded(value: ["parameter": run.properties, "apply": ["$returns": ["value": live]], "value": live])
        } catch let error as WorkflowError {
            return .failed("cannot apply the object: \(error)", retry: false)  // not an object: trying again will not help
        } catch {
            return .failed("cannot apply the object: \(error)", retry: true)
        }
    }

    /// read-object: the live object as `output.value` (KubeVela's older op.#Read) and `output.$returns.value`.
    static func readObject(_ run: StepRun) async -> StepOutcome {
        if let failure = localCluster(run) { return failure }
        let apiVersion = run.properties["apiVersion"]?.string ?? "core.oam.dev/v1beta1"
        let kind = run.properties["kind"]?.string ?? "Application"
        let name = run.properties["name"]?.string ?? ""
        let namespace = run.properties["namespace"]?.string ?? "default"
        let reference: JSONValue = ["apiVersion": .string(apiVersion), "kind": .string(kind),
                                    "metadata": ["name": .string(name), "namespace": .string(namespace)]]
        do {
            guard let live = try await run.providers.read(reference) else {
                return .failed("\(kind) '\(name)' (namespace \(namespace)) does not exist", retry: true)
            }
            return .succeeded(value: ["parameter": run.properties, "output": ["value": live, "$returns": ["value": live]]])
        } catch {
            return .failed("cannot read \(kind) '\(name)': \(error)", retry: true)
        }
    }

    /// export2config: `data` as a ConfigMap.
    static func export2config(_ run: StepRun) async -> StepOutcome {
        if let failure = localCluster(run) { return failure }
        let object: JSONValue = [
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": ["name": run.properties["configName"] ?? "", "namespace": .string(run.properties["namespace"]?.string ?? run.namespace)],
            "data": .object(stringValues(run.properties["data"])),
        ]
        return await apply(object, what: "ConfigMap", run)
    }

    /// export2secret: `data` (or a docker registry's credentials) as a Secret.
    static func export2secret(_ run: StepRun) async -> StepOutcome {
        if let failure = localCluster(run) { return failure }
        var data = stringValues(run.properties["data"])
        var type = run.properties["type"]?.string
        if run.properties["kind"]?.string == "docker-registry", let registry = run.properties["dockerRegistry"] {
            let server = registry["server"]?.string ?? "https://index.docker.io/v1/"
            let username = registry["username"]?.string ?? ""
            let password = registry["password"]?.string ?? ""
            let auth = Data("\(username):\(password)".utf8).base64EncodedString()
            let config: JSONValue = ["auths": .object(JSONObject([JSONObject.Member(key: server, value: [
                "username": .string(username), "password": .string(password), "auth": .string(auth),
            ])]))]
            data = JSONObject([JSONObject.Member(key: ".dockerconfigjson", value: .string(JSONWriter.compact(config)))])
            type = type ?? "kubernetes.io/dockerconfigjson"
        }
        var object: JSONObject = [
            "apiVersion": "v1", "kind": "Secret",
            "metadata": ["name": run.properties["secretName"] ?? "", "namespace": .string(run.properties["namespace"]?.string ?? run.namespace)],
        ]
        if let type { object.append("type", .string(type)) }
        object.append("stringData", .object(data))
        return await apply(.object(object), what: "Secret", run)
    }

    /// depends-on-app: waits until the Application is running; when there is none, applies the
    /// one a ConfigMap of the same name holds (under `application`), as KubeVela does.
    static func dependsOnApp(_ run: StepRun) async -> StepOutcome {
        let name = run.properties["name"]?.string ?? ""
        let namespace = run.properties["namespace"]?.string ?? run.namespace
        let metadata: JSONValue = ["name": .string(name), "namespace": .string(namespace)]
        do {
            var application = try await run.providers.read(["apiVersion": "core.oam.dev/v1beta1", "kind": "Application", "metadata": metadata])
            if application == nil {
                guard let configMap = try await run.providers.read(["apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata]),
                      let text = configMap[path: ["data", "application"]]?.string else {
                    return .waiting("waiting for Application '\(name)' (namespace \(namespace)) to exist")
                }
                let read = YAMLReader().read(Array(text.utf8), file: "ConfigMap \(name)")
                guard read.diagnostics.allSatisfy({ !$0.isError }), let document = read.documents.first?.json else {
                    return .failed("ConfigMap '\(name)' holds no Application under 'application'", retry: false)
                }
                application = try await run.providers.apply(document)
            }
            let phase = application?[path: ["status", "status"]]?.string
            guard phase == "running" else {
                return .waiting("waiting for Application '\(name)' (namespace \(namespace)) to be running" + (phase.map { " (it is \($0))" } ?? ""))
            }
            return .succeeded(value: ["parameter": run.properties, "dependsOn": ["$returns": ["value": application ?? .null]]])
        } catch {
            return .failed("cannot read Application '\(name)': \(error)", retry: true)
        }
    }

    private static func apply(_ object: JSONValue, what: String, _ run: StepRun) async -> StepOutcome {
        do {
            let live = try await run.providers.apply(object)
            return .succeeded(value: ["parameter": run.properties, "apply": ["$returns": ["value": live]]])
        } catch {
            return .failed("cannot apply the \(what): \(error)", retry: true)
        }
    }

    /// A step's `data` with every value as text, as a ConfigMap's data or a Secret's stringData takes it.
    private static func stringValues(_ data: JSONValue?) -> JSONObject {
        var result = JSONObject()
        for member in data?.object ?? JSONObject() {
            result.append(member.key, .string(member.value.string ?? JSONWriter.compact(member.value)))
        }
        return result
    }

    /// Tandem delivers to one cluster; a step naming another fails.
    private static func localCluster(_ run: StepRun) -> StepOutcome? {
        let cluster = run.properties["cluster"]?.string ?? ""
        guard !cluster.isEmpty, cluster != "local" else { return nil }
        return .failed("cluster '\(cluster)' is not the local cluster; multi-cluster delivery is not supported yet", retry: false)
    }
}
