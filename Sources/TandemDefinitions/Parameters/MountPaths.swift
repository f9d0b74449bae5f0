import TandemModel

/// The mount paths taken in one container, so that a second volume at a taken path is refused
/// (Kubernetes refuses it at apply time) with a message that names what holds the path.
package struct MountPaths {
    /// What holds a path: a phrase completing "mount path '/x' is already used ...", and advice.
    package struct Holder {
        package var phrase: String
        package var hint: String?

        package init(_ phrase: String, hint: String? = nil) {
            self.phrase = phrase
            self.hint = hint
        }
    }

    private var taken: [String: Holder] = [:]

    package init() {}

    /// Paths the container already mounts, all held by `holder`.
    package init(existing paths: [String], heldBy holder: Holder) {
        for path in paths { taken[path] = taken[path] ?? holder }
    }

    package func isTaken(_ path: String) -> Bool { taken[path] != nil }

    /// Takes `path` for `holder`; when it is already taken, reports so at `at` and returns false.
    @discardableResult
    package mutating func claim(_ path: String, for holder: Holder, at: FieldPath, scope: DiagnosticScope) -> Bool {
        if let owner = taken[path] {
            scope.error("mount path '\(path)' is already used \(owner.phrase)", at: at, code: .duplicateMountPath, hint: owner.hint)
            return false
        }
        taken[path] = holder
        return true
    }
}
