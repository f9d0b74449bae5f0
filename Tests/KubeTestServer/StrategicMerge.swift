import TandemJSON

/// Strategic merge patch (`application/strategic-merge-patch+json`) for the built-in types:
/// a merge patch whose lists with a merge key (containers by name, ports by containerPort...)
/// merge item by item, with the `$patch: delete|replace` and `$deleteFromPrimitiveList`
/// directives. Other directives (`$setElementOrder`, `$retainKeys`) are accepted and ignored.
enum StrategicMerge {
    static func apply(_ patch: JSONValue, to original: JSONValue) -> JSONValue {
        patchValue(original, patch, names: []) ?? .object([:])
    }

    private static func patchValue(_ original: JSONValue?, _ patch: JSONValue, names: [String]) -> JSONValue? {
        switch patch {
        case .object(let patchObject):
            switch patchObject["$patch"]?.string {
            case "delete": return nil
            case "replace": return stripped(patch)
            default: break
            }
            guard !Schema.isAtomicObject(names) else { return stripped(patch) }
            var result = original?.object ?? JSONObject()
            for member in patchObject {
                if member.key.hasPrefix("$deleteFromPrimitiveList/") {
                    let field = String(member.key.dropFirst("$deleteFromPrimitiveList/".count))
                    let remove = member.value.array ?? []
                    if let items = result[field]?.array { result[field] = .array(items.filter { !remove.contains($0) }) }
                    continue
                }
                if member.key.hasPrefix("$") { continue }
                if member.value.isNull {
                    result[member.key] = nil
                } else {
                    result[member.key] = patchValue(result[member.key], member.value, names: names + [member.key])
                }
            }
            return .object(result)
        case .array(let patchItems):
            let originalItems = original?.array ?? []
            switch Schema.listType(names) {
            case .map(let keys):
                let mergeKey = keys[0]
                var result = originalItems
                for item in patchItems {
                    let key = item[mergeKey]
                    let index = key == nil ? nil : result.firstIndex { $0[mergeKey] == key }
                    if item["$patch"]?.string == "delete" {
                        if let index { result.remove(at: index) }
                    } else if let index {
                        result[index] = patchValue(result[index], item, names: names) ?? result[index]
                    } else {
                        result.append(stripped(item))
                    }
                }
                return .array(result)
            case .set:
                var result = originalItems
                for item in patchItems where !result.contains(item) { result.append(item) }
                return .array(result)
            case .atomic:
                return stripped(patch)
            }
        default:
            return patch
        }
    }

    /// A value without patch directives.
    private static func stripped(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            var result = JSONObject()
            for member in object where !member.key.hasPrefix("$") { result.append(member.key, stripped(member.value)) }
            return .object(result)
        case .array(let items):
            return .array(items.map(stripped))
        default:
            return value
        }
    }
}
