import Foundation
import TandemJSON

/// A pod's volumes as podman sees them: emptyDirs and claims as podman volumes, hostPaths as bind
/// mounts, ConfigMaps as files, Secrets as podman secrets mounted as files.
struct VolumeTranslator {
    var application: String
    var namespace: String
    var pod: String
    /// What podman names of this pod start with: its name, and its revision after an update (`web-0.1`).
    var instance: String
    var sources: ConfigSources
    var subject: String
    /// StatefulSet claim templates, by name: their volume is the claim `TEMPLATE-POD`.
    var claimTemplates: Set<String>

    struct Output {
        var mounts: [String: MountSource] = [:]
        var volumes: [VolumePlan] = []
        var secrets: [SecretPlan] = []
        var files: [FilePlan] = []
        var problems: [LocalProblem] = []
        var notes: [String] = []
    }

    func translate(_ podSpec: JSONValue) -> Output {
        var output = Output()
        for template in claimTemplates {
            let name = LocalNames.claim(application, "\(template)-\(pod)")
            output.volumes.append(VolumePlan(name: name, kind: "claim", inMemory: false))
            output.mounts[template] = .volume(name)
        }
        for volume in podSpec["volumes"]?.array ?? [] {
            guard let name = volume["name"]?.string else { continue }
            if let emptyDir = volume["emptyDir"] {
                let podman = LocalNames.emptyDir(application, instance, name)
                output.volumes.append(VolumePlan(name: podman, kind: "emptyDir", inMemory: emptyDir["medium"]?.string == "Memory"))
                output.mounts[name] = .volume(podman)
            } else if let hostPath = volume["hostPath"] {
                output.mounts[name] = .hostPath(path: hostPath["path"]?.string ?? "/", type: hostPath["type"]?.string ?? "")
            } else if let claim = volume["persistentVolumeClaim"]?["claimName"]?.string {
                let podman = LocalNames.claim(application, claim)
                output.volumes.append(VolumePlan(name: podman, kind: "claim", inMemory: false))
                output.mounts[name] = .volume(podman)
            } else if let configMap = volume["configMap"] {
                files(of: .configMap, configMap["name"]?.string ?? "", volume: name, json: configMap, into: &output)
            } else if let secret = volume["secret"] {
                files(of: .secret, secret["secretName"]?.string ?? "", volume: name, json: secret, into: &output)
            } else {
                // downwardAPI, projected, csi, ...: an empty folder stands in, and up says so.
                let kind = volume.object?.keys.first { $0 != "name" } ?? "unknown"
                let podman = LocalNames.emptyDir(application, instance, name)
                output.volumes.append(VolumePlan(name: podman, kind: "emptyDir", inMemory: false))
                output.mounts[name] = .volume(podman)
                output.notes.append("volume '\(name)' of pod \(pod) (\(kind)) is not emulated locally: an empty folder is mounted instead")
            }
        }
        return output
    }

    /// The keys of a ConfigMap or Secret (or the `items` chosen), each a file of the volume.
    private func files(of kind: ConfigSources.Kind, _ sourceName: String, volume: String, json: JSONValue, into output: inout Output) {
        let mode = json["defaultMode"]?.int ?? 0o644
        guard let source = sources.find(kind, sourceName, namespace: namespace) else {
            if json["optional"]?.bool != true {
                output.problems.append(LocalProblem(subject, reason: "FailedMount",
                    "MountVolume.SetUp failed for volume \"\(volume)\" : \(kind.rawValue.lowercased()) \"\(sourceName)\" not found",
                    hint: "define it in the application (a k8s-objects component)", remedy: .supplyObject))
            }
            output.mounts[volume] = kind == .secret ? .secrets([]) : .files("\(instance)/\(volume)")
            return
        }
        var chosen: [(key: String, path: String, mode: Int)] = []
        if let items = json["items"]?.array {
            for item in items {
                guard let key = item["key"]?.string else { continue }
                guard source.data[key] != nil else {
                    if json["optional"]?.bool != true {
                        output.problems.append(LocalProblem(subject, reason: "FailedMount",
                            "MountVolume.SetUp failed for volume \"\(volume)\" : configmap references non-existent config key: \(key)"))
                    }
                    continue
                }
                chosen.append((key, item["path"]?.string ?? key, item["mode"]?.int ?? mode))
            }
        } else {
            chosen = source.data.keys.sorted().map { ($0, $0, mode) }
        }
        switch kind {
        case .configMap:
            let folder = "\(instance)/\(volume)"
            for entry in chosen {
                output.files.append(FilePlan(path: "\(folder)/\(entry.path)", contents: source.data[entry.key] ?? Data(), mode: entry.mode))
            }
            output.mounts[volume] = .files(folder)
        case .secret:
            var files: [SecretFile] = []
            for entry in chosen {
                let name = LocalNames.secret(application, sourceName, entry.key)
                output.secrets.append(SecretPlan(name: name, value: source.data[entry.key] ?? Data()))
                files.append(SecretFile(secret: name, path: entry.path, mode: entry.mode))
            }
            output.mounts[volume] = .secrets(files)
        }
    }
}
