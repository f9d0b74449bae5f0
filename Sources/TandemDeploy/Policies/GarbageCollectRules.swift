import KubeClient
import KubeModel
import TandemJSON
import TandemModel

/// The garbage-collect policy: which objects are pruned when the application stops rendering
/// them (`onAppUpdate`, the default), only deleted with the application (`onAppDelete`), or never
/// deleted (`never`); `keepLegacyResource` prunes nothing; `order: dependency` deletes a
/// component's objects before those of the components it depends on.
///
/// The strategy, propagation and dependency rank chosen for an object are written on it as
/// annotations when it is applied: pruning and deleting read them from the live object, so a
/// `tandem delete` without the application's file, or a pruned object no longer rendered,
/// follows the policy it was deployed with.
struct GarbageCollectRules: Sendable {
    static let strategyAnnotation = "tandem.oam.dev/garbage-collect"
    static let propagationAnnotation = "tandem.oam.dev/delete-propagation"
    static let rankAnnotation = "tandem.oam.dev/delete-rank"

    var keepLegacyResource = false
    var rules: PolicyRules
    /// For `order: dependency`, each component's rank: how long its longest dependsOn chain is.
    var ranks: [String: Int]?

    init(_ policies: [JSONValue], components: [Application.Component]) {
        keepLegacyResource = policies.contains { $0["keepLegacyResource"]?.bool == true }
        rules = PolicyRules(policies)
        if policies.contains(where: { $0["order"]?.string == "dependency" }) {
            ranks = Self.ranks(components)
        }
    }

    /// The annotations that record how `item` is collected; none for the default.
    func annotations(for item: DeployPlan.Item) -> [(key: String, value: String)] {
        var annotations: [(key: String, value: String)] = []
        if let rule = rules.first(selecting: PolicyTarget(item)) {
            let strategy = rule["strategy"]?.string ?? "onAppUpdate"
            if strategy != "onAppUpdate" { annotations.append((Self.strategyAnnotation, strategy)) }
            if rule["propagation"]?.string == "orphan" { annotations.append((Self.propagationAnnotation, "orphan")) }
        }
        if let rank = ranks?[item.origin.component] { annotations.append((Self.rankAnnotation, String(rank))) }
        return annotations
    }

    /// Whether a member the application no longer renders stays instead of being pruned.
    func keepsWhenNoLongerRendered(_ live: KubeObject?) -> Bool {
        keepLegacyResource || ["onAppDelete", "never"].contains(Self.strategy(of: live))
    }

    static func strategy(of live: KubeObject?) -> String {
        live?.json[path: ["metadata", "annotations", strategyAnnotation]]?.string ?? "onAppUpdate"
    }

    static func propagation(of live: KubeObject?) -> PropagationPolicy {
        live?.json[path: ["metadata", "annotations", propagationAnnotation]]?.string == "orphan" ? .orphan : .background
    }

    static func rank(of live: KubeObject?) -> Int? {
        live?.json[path: ["metadata", "annotations", rankAnnotation]]?.string.flatMap { Int($0) }
    }

    /// Each component's longest chain of dependsOn: 0 for one that depends on nothing. A cycle
    /// (refused when the application is validated) counts once.
    static func ranks(_ components: [Application.Component]) -> [String: Int] {
        let byName = Dictionary(components.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var ranks: [String: Int] = [:]
        func rank(_ name: String, visiting: Set<String>) -> Int {
            if let known = ranks[name] { return known }
            guard let component = byName[name], !visiting.contains(name) else { return 0 }
            let result = component.dependsOn.map { rank($0, visiting: visiting.union([name])) + 1 }.max() ?? 0
            ranks[name] = result
            return result
        }
        for component in components { _ = rank(component.name, visiting: []) }
        return ranks
    }
}
