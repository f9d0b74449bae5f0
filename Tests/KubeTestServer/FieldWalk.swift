import TandemJSON

/// The schema-aware walks of server-side apply over JSON: which fields a value sets, what
/// changed between two values, how an applied configuration merges into a live object, and
/// removing fields.
enum FieldWalk {
    /// The fields `value` sets, as a node for the value's own position. `markMaps` marks maps
    /// and list items as fields themselves (the `.` entries an Update records).
    static func fieldSet(_ value: JSONValue, names: [String], markMaps: Bool) -> FieldSet {
        switch value {
        case .object(let object):
            if object.isEmpty || Schema.isAtomicObject(names) { return FieldSet(member: true) }
            var node = FieldSet(member: markMaps && Schema.isMap(names))
            for member in object {
                node.children["f:" + member.key] = fieldSet(member.value, names: names + [member.key], markMaps: markMaps)
            }
            return node
        case .array(let items):
            if items.isEmpty { return FieldSet(member: true) }
            switch Schema.effectiveListType(names, items: items) {
            case .atomic:
                return FieldSet(member: true)
            case .set:
                var node = FieldSet()
                for item in items { node.children[Schema.valueToken(item)] = FieldSet(member: true) }
                return node
            case .map(let keys):
                var node = FieldSet()
                for item in items {
                    guard let token = Schema.itemKey(item, keys: keys) else { continue }
                    var child = fieldSet(item, names: names, markMaps: markMaps)
                    child.isMember = true
                    node.children[token] = child
                }
                return node
            }
        default:
            return FieldSet(member: true)
        }
    }

    /// What differs between `old` and `new` at one position: fields added or changed, and
    /// fields removed.
    static func compare(_ old: JSONValue?, _ new: JSONValue?, names: [String]) -> (changed: FieldSet, removed: FieldSet) {
        // Most of an object is the same before and after a write (and often the same storage,
        // which compares at once): nothing changed there.
        if let old, let new, old == new { return (FieldSet(), FieldSet()) }
        switch (old, new) {
        case (nil, nil):
            return (FieldSet(), FieldSet())
        case (nil, let new?):
            var added = fieldSet(new, names: names, markMaps: true)
            // A struct or list with contents is not a field itself; anything else added is.
            let isContainer = new.object != nil || new.array != nil
            if !isContainer || added.children.isEmpty { added.isMember = true }
            return (added, FieldSet())
        case (let old?, nil):
            return (FieldSet(), FieldSet(member: true).union(fieldSet(old, names: names, markMaps: true)))
        case (.object(let before)?, .object(let after)?) where !Schema.isAtomicObject(names):
            var changed = FieldSet(), removed = FieldSet()
            var keys = before.keys
            for key in after.keys where before[key] == nil { keys.append(key) }
            for key in keys {
                let (c, r) = compare(before[key], after[key], names: names + [key])
                if c.hasMembers { changed.children["f:" + key] = c }
                if r.hasMembers { removed.children["f:" + key] = r }
            }
            return (changed, removed)
        case (.array(let before)?, .array(let after)?):
            let type = Schema.effectiveListType(names, items: before, after)
            let token: (JSONValue) -> String?
            switch type {
            case .atomic: return old == new ? (FieldSet(), FieldSet()) : (FieldSet(member: true), FieldSet())
            case .set: token = { Schema.valueToken($0) }
            case .map(let keys): token = { Schema.itemKey($0, keys: keys) }
            }
            var changed = FieldSet(), removed = FieldSet()
            var beforeItems: [String: JSONValue] = [:]
            for item in before { if let key = token(item) { beforeItems[key] = item } }
            var afterItems: [String: JSONValue] = [:]
            for item in after { if let key = token(item) { afterItems[key] = item } }
            for (key, item) in afterItems {
                var (c, _) = compare(beforeItems[key], item, names: names)
                if beforeItems[key] == nil { c.isMember = true }
                if c.hasMembers { changed.children[key] = c }
            }
            for (key, item) in beforeItems {
                if afterItems[key] == nil {
                    removed.children[key] = FieldSet(member: true).union(fieldSet(item, names: names, markMaps: true))
                } else if type != .set {
                    let (_, r) = compare(item, afterItems[key], names: names)
                    if r.hasMembers { removed.children[key] = r }
                }
            }
            return (changed, removed)
        case (let old?, let new?):
            return old == new ? (FieldSet(), FieldSet()) : (FieldSet(member: true), FieldSet())
        }
    }

    /// `config` merged into `live` as apply merges: maps key by key, associative lists item by
    /// item (live order, new items after), sets by value, everything else replaced.
    static func merge(_ live: JSONValue?, _ config: JSONValue, names: [String]) -> JSONValue {
        guard let live else { return config }
        switch (live, config) {
        case (.object(var result), .object(let patch)) where !Schema.isAtomicObject(names):
            for member in patch {
                if member.value.isNull {
                    result[member.key] = nil
                } else {
                    result[member.key] = merge(result[member.key], member.value, names: names + [member.key])
                }
            }
            return .object(result)
        case (.array(let before), .array(let after)):
            switch Schema.effectiveListType(names, items: before, after) {
            case .atomic:
                return config
            case .set:
                var result = before
                for item in after where !result.contains(item) { result.append(item) }
                return .array(result)
            case .map(let keys):
                var result = before
                for item in after {
                    let key = Schema.itemKey(item, keys: keys)
                    if let index = result.firstIndex(where: { Schema.itemKey($0, keys: keys) == key }) {
                        result[index] = merge(result[index], item, names: names)
                    } else {
                        result.append(item)
                    }
                }
                return .array(result)
            }
        default:
            return config
        }
    }

    /// `value` without the member paths of `fields`. A map or list left empty by the removal
    /// goes too, as Go's `omitempty` drops it.
    static func removing(_ fields: FieldSet, from value: JSONValue, names: [String]) -> JSONValue {
        switch value {
        case .object(var object):
            for (token, child) in fields.children where token.hasPrefix("f:") {
                let key = String(token.dropFirst(2))
                guard let current = object[key] else { continue }
                if child.isMember {
                    object[key] = nil
                } else {
                    let reduced = removing(child, from: current, names: names + [key])
                    object[key] = isEmptyContainer(reduced) && !isEmptyContainer(current) ? nil : reduced
                }
            }
            return .object(object)
        case .array(var items):
            let type = Schema.effectiveListType(names, items: items)
            for (token, child) in fields.children {
                let matches: (JSONValue) -> Bool
                switch type {
                case .atomic: continue
                case .set: matches = { Schema.valueToken($0) == token }
                case .map(let keys): matches = { Schema.itemKey($0, keys: keys) == token }
                }
                guard let index = items.firstIndex(where: matches) else { continue }
                if child.isMember {
                    items.remove(at: index)
                } else {
                    items[index] = removing(child, from: items[index], names: names)
                }
            }
            return .array(items)
        default:
            return value
        }
    }

    private static func isEmptyContainer(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let object): return object.isEmpty
        case .array(let items): return items.isEmpty
        default: return false
        }
    }

    /// The fields of `last` that may be removed when `keep` holds the fields someone still owns:
    /// a field stays while anything below it is owned.
    static func prunable(_ last: FieldSet, keeping keep: FieldSet) -> FieldSet {
        var result = FieldSet(member: last.isMember && !keep.hasMembers)
        for (token, child) in last.children {
            let rest: FieldSet
            if let kept = keep.children[token] {
                rest = prunable(child, keeping: kept)
            } else {
                rest = child
            }
            if rest.hasMembers { result.children[token] = rest }
        }
        return result
    }
}
