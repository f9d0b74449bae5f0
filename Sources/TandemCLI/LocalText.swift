import Foundation
import TandemDeploy
import TandemJSON
import TandemLocal
import TandemRendering

/// What the local commands print beyond the cluster side's health text: probes, notes, the
/// last lines of a failing container.
enum LocalText {
    /// The `status --local` text: the health table, then each probe's last result.
    static func table(_ status: LocalStatus, supervisorRunning: Bool, width: Int?) -> String {
        var text = HealthText.table(status.health, width: width)
        if !status.probes.isEmpty {
            var rows: [[String]] = [["POD", "CONTAINER", "PROBE", "HANDLER", "LAST RESULT", "MESSAGE"]]
            for probe in status.probes {
                var result = probe.result
                if probe.consecutiveFailures > 1 { result += " (\(probe.consecutiveFailures) in a row)" }
                rows.append([probe.pod, probe.container, probe.kind, probe.handler, result, probe.message])
            }
            text += "\nProbes:\n" + TextTable(rows, wrapping: [5: 20]).render(width: width)
        }
        for note in status.notes { text += "note: \(note)\n" }
        if !supervisorRunning {
            text += "\nwarning: the supervisor is not running: probes and restarts have stopped since \(status.updatedAt); "
                + "tandem down --local \(status.health.application), then up again\n"
        }
        return text
    }

    /// `status --local -o json`: the cluster side's document, with the probes and notes.
    static func json(_ status: LocalStatus) -> JSONValue {
        var json = HealthText.json(status.health).object ?? JSONObject()
        json.append("probes", .array(status.probes.map { probe in
            ["pod": .string(probe.pod), "container": .string(probe.container), "probe": .string(probe.kind),
             "handler": .string(probe.handler), "result": .string(probe.result), "message": .string(probe.message),
             "consecutiveFailures": .int(probe.consecutiveFailures)]
        }))
        json.append("notes", .array(status.notes.map(JSONValue.string)))
        return .object(json)
    }

    /// How messages name the application: `shop`, `shop (namespace team-a)`.
    static func title(_ plan: LocalPlan) -> String {
        plan.application + (plan.namespace == "default" ? "" : " (namespace \(plan.namespace))")
    }

    /// How the other commands name the application: `shop`, `shop -n team-a`.
    static func arguments(_ plan: LocalPlan) -> String {
        plan.application + (plan.namespace == "default" ? "" : " -n \(plan.namespace)")
    }

    /// `up --local --dry-run`: what would be made in podman, by name, and that nothing was.
    static func dryRun(_ plan: LocalPlan) -> String {
        var text = "application \(plan.application) (dry run, nothing was created) would make in podman:\n"
        text += "  network \(plan.network)\n"
        for service in plan.services {
            let published = service.publish.map { "\($0.hostPort)/\($0.proto)" }.joined(separator: ", ")
            text += "  pod \(service.podmanName) (service/\(service.name), reached as \(service.aliases.joined(separator: ", "))"
                + (published.isEmpty ? "" : "; published on this machine at \(published)") + ")\n"
        }
        for pod in plan.pods {
            text += "  pod \(pod.podmanName) (component '\(pod.component)', \(pod.workload))\n"
            for container in pod.allContainers {
                text += "    container \(container.podmanName): \(container.displayName), image \(container.image)\n"
            }
        }
        for volume in plan.volumes { text += "  volume \(volume.name) (\(volume.kind))\n" }
        for secret in plan.secrets { text += "  secret \(secret.name)\n" }
        return text
    }

    /// What an update changes: `1 pod replaced, 2 unchanged`.
    static func changes(running: LocalPlan, plan: LocalPlan) -> String {
        let runningNames = Set(running.pods.map(\.name)), runningPodman = Set(running.pods.map(\.podmanName))
        let names = Set(plan.pods.map(\.name))
        let unchanged = plan.pods.filter { runningPodman.contains($0.podmanName) }.count
        let replaced = plan.pods.filter { runningNames.contains($0.name) && !runningPodman.contains($0.podmanName) }.count
        let added = plan.pods.filter { !runningNames.contains($0.name) }.count
        let removed = runningNames.subtracting(names).count
        func count(_ number: Int, _ word: String) -> String? { number == 0 ? nil : "\(number) pod\(number == 1 ? "" : "s") \(word)" }
        let parts = [count(replaced, "replaced"), count(added, "added"), count(removed, "removed"), count(unchanged, "unchanged")].compactMap { $0 }
        return parts.isEmpty ? "nothing to run" : parts.joined(separator: ", ")
    }

    /// The last lines of every container that keeps the application from being ready, to see why.
    static func lastLogLines(_ plan: LocalPlan, _ state: StateDirectory, _ health: ApplicationHealth, including: [ContainerHealth] = [],
                             count: Int = 10) -> String {
        let troubled = Set((health.components.flatMap(\.containers).filter { $0.isFailing || (!$0.ready && ($0.state != "terminated" || $0.reason != "Completed")) }
            + including).map { "\($0.pod)/\($0.name)" })
        var text = ""
        for source in LogFiles.sources(plan, state: state) where troubled.contains("\(source.pod)/\(source.container)") {
            let lines = LogFiles.read(source, tail: count)
            guard !lines.isEmpty else { continue }
            text += "\n  last lines of \(source.prefix):\n" + lines.map { "    \($0.text)\n" }.joined()
        }
        return text.isEmpty ? "" : "\n" + text.dropFirst().dropLast()
    }
}
