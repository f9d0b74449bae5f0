import KubeModel
import TandemJSON

/// The apply-once policy: objects, or some of their fields, that the cluster may change. When
/// a rule's `affect` holds for this deploy, the live values of its `path`s are written back
/// instead of the rendered ones (`*`: the object is left as it is); an object that does not
/// exist yet is created as rendered.
///
/// `affect`: `onStateKeep` (and no `affect`) holds when the application's rendering did not change
/// since the last deploy — the controller's resync, or `up` of the same file — so that drift is
/// left alone until the application changes, and then applied; `onUpdate` holds only when the
/// rendering changed; `always` holds for both.
struct ApplyOnceRules: Sendable {
    var enabled: Bool
    var rules: PolicyRules

    init(_ policies: [JSONValue]) {
        enabled = policies.contains { $0["enable"]?.bool == true }
        rules = PolicyRules(policies)
    }

    /// Whether a rule (or `enable` without rules) covers the item at all.
    func selects(_ item: DeployPlan.Item) -> Bool {
        enabled && (rules.isEmpty || rules.selects(PolicyTarget(item)))
    }

    /// The paths of `item` left to the cluster in this deploy, or nil when it is applied as rendered.
    func paths(for item: DeployPlan.Item, renderingChanged: Bool) -> [String]? {
        guard enabled else { return nil }
        // Enabled without rules: every object, whole, as KubeVela does.
        guard !rules.isEmpty else { return renderingChanged ? nil : ["*"] }
        guard let rule = rules.first(selecting: PolicyTarget(item)) else { return nil }
        let affect = rule[path: ["strategy", "affect"]]?.string ?? "onStateKeep"
        let holds = switch affect {
        case "always": true
        case "onUpdate": renderingChanged
        default: !renderingChanged
        }
        guard holds else { return nil }
        let paths = rule[path: ["strategy", "path"]]?.strings ?? []
        return paths.isEmpty ? nil : paths
    }

    /// `rendered` with the live values of `paths` (a path the live object lacks is left as rendered).
    static func keeping(_ paths: [String], of live: KubeObject, in rendered: KubeObject) -> KubeObject {
        var object = rendered
        for path in paths {
            guard let segments = PolicyFieldPath(path), let value = segments.value(in: live.json) else { continue }
            segments.set(value, in: &object.json)
        }
        return object
    }
}
