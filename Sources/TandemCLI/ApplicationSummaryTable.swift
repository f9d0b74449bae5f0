import Foundation
import TandemDeploy
import TandemRendering

/// `tandem ls`'s table.
extension ApplicationSummary {
    static func table(_ applications: [ApplicationSummary], allNamespaces: Bool, now: Date, width: Int?) -> String {
        var header = ["APP", "COMPONENTS", "HEALTH", "WORKFLOW", "MANAGED BY", "AGE"]
        if allNamespaces { header.insert("NAMESPACE", at: 0) }
        var rows = [header]
        for application in applications {
            var row = [application.name, application.components.joined(separator: ","), application.health,
                       application.workflowPhase ?? "-", application.source.rawValue,
                       application.created.map { age(now.timeIntervalSince($0)) } ?? "-"]
            if allNamespaces { row.insert(application.namespace, at: 0) }
            rows.append(row)
        }
        return TextTable(rows).render(width: width)
    }

    /// `45s`, `12m`, `3h`, `5d`, as kubectl prints ages.
    static func age(_ seconds: TimeInterval) -> String {
        let seconds = max(0, Int(seconds))
        if seconds < 120 { return "\(seconds)s" }
        if seconds < 2 * 3600 { return "\(seconds / 60)m" }
        if seconds < 2 * 86400 { return "\(seconds / 3600)h" }
        return "\(seconds / 86400)d"
    }
}
