import Foundation
import TandemJSON

/// What the endpoints controller would write: for each Service and TCP port, `IP:PORT` of every
/// ready pod it selects, at the port it targets in that pod.
enum LocalEndpoints {
    static func document(_ plan: LocalPlan, pods: [PodState]) -> String {
        var document = JSONObject()
        for service in plan.services {
            var ports = JSONObject()
            for port in service.ports where port.proto == "tcp" {
                let addresses = pods.filter { $0.ready && service.selects($0.plan) }.compactMap { pod -> String? in
                    guard let ip = pod.podIP, let target = port.target(in: pod.plan) else { return nil }
                    return "\(ip):\(target)"
                }
                ports.append(port.key, .array(addresses.map(JSONValue.string)))
            }
            document.append(service.name, .object(ports))
        }
        return JSONWriter.write(.object(document))
    }
}
