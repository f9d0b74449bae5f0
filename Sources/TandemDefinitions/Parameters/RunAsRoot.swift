import KubeModel
import TandemJSON
import TandemModel

/// `runAsUser: 0` with the default `runAsNonRoot: true` makes a pod the kubelet never starts:
/// running as root, when asked for, turns the default off; asked for with runAsNonRoot: true it is an error.
enum RunAsRoot {
    /// Adjusts `values` (the trait's parameters); false after reporting a contradiction.
    static func reconcile(_ values: inout JSONValue, _ parameters: Parameters, scope: DiagnosticScope) -> Bool {
        guard values["runAsUser"]?.int == 0 else { return true }
        if !parameters.isGiven("runAsNonRoot") {
            values["runAsNonRoot"] = false
            return true
        }
        if values["runAsNonRoot"]?.bool == true {
            scope.error("runAsUser 0 is root, which runAsNonRoot: true refuses", at: ["runAsUser"], code: .conflictingProperties,
                        hint: "remove one of them")
            return false
        }
        return true
    }
}
