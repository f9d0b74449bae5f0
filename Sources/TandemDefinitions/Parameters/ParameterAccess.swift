import TandemJSON
import TandemModel

/// Reading validated values. The schema guarantees what is required or has a default, so these
/// read it without restating the default: an absent value reads as empty only where the schema
/// allows it to be absent.
extension JSONValue {
    package func text(_ key: String) -> String { self[key]?.string ?? "" }
    package func number(_ key: String) -> Int { self[key]?.int ?? 0 }
    package func flag(_ key: String) -> Bool { self[key]?.bool ?? false }
    package func list(_ key: String) -> [JSONValue] { self[key]?.array ?? [] }
    package func map(_ key: String) -> JSONObject { self[key]?.object ?? JSONObject() }
    package func texts(_ key: String) -> [String] { self[key]?.strings ?? [] }
    /// A value the schema guarantees, as JSON.
    package func value(_ key: String) -> JSONValue { self[key] ?? .null }
}

extension Parameters {
    package func text(_ key: String) -> String { values.text(key) }
    package func number(_ key: String) -> Int { values.number(key) }
    package func flag(_ key: String) -> Bool { values.flag(key) }
    package func list(_ key: String) -> [JSONValue] { values.list(key) }
    package func map(_ key: String) -> JSONObject { values.map(key) }
    package func texts(_ key: String) -> [String] { values.texts(key) }
    /// A value the schema guarantees, as JSON.
    package func value(_ key: String) -> JSONValue { values[key] ?? .null }
}

extension JSONObject {
    /// These members, then those of `other` whose keys are not here yet.
    package func addingMissing(from other: JSONObject) -> JSONObject {
        var result = self
        for member in other where result[member.key] == nil {
            result.append(member.key, member.value)
        }
        return result
    }
}
