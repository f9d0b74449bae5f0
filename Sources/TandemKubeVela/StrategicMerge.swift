import KubeModel
import TandemJSON

/// A trait's `patch` applied as KubeVela applies it: objects merge field by field, lists of
/// objects merge by `name` (or the field `+patchKey=` names), other lists and scalars are
/// replaced, and `+patchStrategy=` chooses `retainKeys`, `replace`, `jsonMergePatch` or
/// `jsonPatch` for a part of the patch.
struct StrategicMerge {
    struct Failure: Error {
        var path: [String]
        var reason: String
    }

    var bounds: JSONPatch.Bounds

    func apply(_ patch: JSONValue, to base: JSONValue?, _ directives: PatchDirectives?, path: [String] = []) throws(Failure) -> JSONValue {
        guard path.count < bounds.maxDepth else { throw Failure(path: path, reason: "the patch is nested too deeply") }
        switch directives?.strategy {
        case .replace?:
            return patch
        case .jsonMergePatch?:
            return JSONPatch.merge(patch, into: base ?? .null)
        case .jsonPatch?:
            let operations = patch["operations"]?.array ?? patch.array ?? []
            switch JSONPatch.apply(operations, to: base ?? .object(JSONObject()), bounds: bounds) {
            case .success(let patched): return patched
            case .failure(let failure): throw Failure(path: path, reason: failure.description)
            }
        case .retainKeys?, nil:
            break
        }
        switch (base, patch) {
        case (.object(let current)?, .object(let changes)):
            var result = directives?.strategy == .retainKeys ? JSONObject() : current
            for member in changes {
                if member.value == .null, directives?.strategy != .retainKeys {
                    result[member.key] = nil  // a null deletes, as in a strategic merge patch
                    continue
                }
                let child = directives?.fields[member.key]
                result[member.key] = try apply(member.value, to: current[member.key], child, path: path + [member.key])
            }
            return .object(result)
        case (.array(let current)?, .array(let changes)):
            var result: [JSONValue]
            if let key = directives?.patchKey ?? Self.defaultKey(current, changes) {
                result = current
                for (offset, change) in changes.enumerated() {
                    let identity = change[key]
                    if let identity, let index = result.firstIndex(where: { $0[key] == identity }) {
                        result[index] = try apply(change, to: result[index], directives?.element, path: path + [String(offset)])
                    } else if identity == nil, offset < current.count {
                        // An element without the key patches the element at its place, as KubeVela's
                        // resource trait patches the first container.
                        result[offset] = try apply(change, to: result[offset], directives?.element, path: path + [String(offset)])
                    } else {
                        result.append(try apply(change, to: nil, directives?.element, path: path + [String(offset)]))
                    }
                }
            } else if !changes.isEmpty, (current + changes).allSatisfy({ $0.object != nil }) {
                // Objects without a merge key unify by position, as CUE unifies lists; the
                // elements the patch does not reach stay.
                result = current
                for (offset, change) in changes.enumerated() {
                    let merged = try apply(change, to: offset < current.count ? current[offset] : nil, directives?.element, path: path + [String(offset)])
                    if offset < result.count { result[offset] = merged } else { result.append(merged) }
                }
            } else if changes.isEmpty, directives?.eachElement != nil {
                result = current
            } else {
                result = changes
            }
            // `[...{...}]`: what every element must be, applied to each (the lifecycle trait).
            if let each = directives?.eachElement {
                for offset in result.indices {
                    result[offset] = try apply(each, to: result[offset], directives?.element, path: path + [String(offset)])
                }
            }
            return .array(result)
        default:
            return patch
        }
    }

    /// Lists whose elements are all objects with a `name` merge by it, as KubeVela merges
    /// containers, volumes and ports.
    static func defaultKey(_ current: [JSONValue], _ changes: [JSONValue]) -> String? {
        let all = current + changes
        guard !changes.isEmpty, all.allSatisfy({ $0["name"]?.string != nil }) else { return nil }
        return "name"
    }
}
