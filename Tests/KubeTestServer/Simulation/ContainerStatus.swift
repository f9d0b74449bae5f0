import Foundation
import TandemJSON

/// The container status objects the kubelet reports.
extension Kubelet {
    static func containerID(_ pod: JSONValue, _ name: String, _ run: Int) -> String {
        let seed = "\(pod.uid)/\(name)/\(run)"
        let hex = (0..<8).map { padded(NameSuffix.hash(seed + String($0)), 8, radix: 16) }.joined()
        return "containerd://" + hex
    }

    static func imageID(_ image: String) -> String {
        let hex = (0..<8).map { padded(NameSuffix.hash(image + String($0)), 8, radix: 16) }.joined()
        let base = image.split(separator: "@").first.map(String.init) ?? image
        return base + "@sha256:" + hex
    }

    // MARK: - Container status JSON

    static func base(_ container: JSONValue, state: JSONValue, last: JSONValue?, ready: Bool, restarts: Int,
                             containerID: String?, started: Bool?) -> JSONObject {
        let image = container["image"]?.string ?? ""
        var status = JSONObject()
        status.append("name", container["name"] ?? "")
        status.append("state", state)
        status.append("lastState", last.map { ["terminated": $0] } ?? .object([:]))
        status.append("ready", .bool(ready))
        status.append("restartCount", .int(restarts))
        status.append("image", .string(image))
        status.append("imageID", .string(containerID == nil ? "" : imageID(image)))
        if let containerID { status.append("containerID", .string(containerID)) }
        if let started { status.append("started", .bool(started)) }
        return status
    }

    static func waiting(_ container: JSONValue, reason: String, message: String?, restarts: Int = 0) -> JSONValue {
        var state: JSONObject = ["reason": .string(reason)]
        if let message { state["message"] = .string(message) }
        return .object(base(container, state: ["waiting": .object(state)], last: nil, ready: false, restarts: restarts,
                            containerID: nil, started: false))
    }

    static func running(_ container: JSONValue, pod: JSONValue, since: Date, ready: Bool, restarts: Int, last: JSONValue?,
                                memory: PodMemory) -> JSONValue {
        .object(base(container, state: ["running": ["startedAt": .string(Timestamp.string(since))]], last: last, ready: ready,
                     restarts: restarts, containerID: containerID(pod, container["name"]?.string ?? "", restarts), started: true))
    }

    static func terminated(_ container: JSONValue, pod: JSONValue, code: Int, started: Date, finished: Date, restarts: Int,
                                   memory: PodMemory) -> JSONValue {
        let id = containerID(pod, container["name"]?.string ?? "", restarts)
        return .object(base(container, state: ["terminated": terminatedState(code: code, started: started, finished: finished,
                                                                            containerID: id)],
                            last: nil, ready: false, restarts: restarts, containerID: id, started: false))
    }

    static func terminatedState(code: Int, started: Date, finished: Date, containerID: String) -> JSONValue {
        ["exitCode": .int(code), "reason": code == 0 ? "Completed" : "Error", "startedAt": .string(Timestamp.string(started)),
         "finishedAt": .string(Timestamp.string(finished)), "containerID": .string(containerID)]
    }
}
