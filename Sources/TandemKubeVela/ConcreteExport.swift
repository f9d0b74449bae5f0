import TandemCUE
import TandemJSON

/// The concrete part of a value as JSON: fields that are not concrete (a schema the template
/// keeps beside its actions, a result that never came) are left out instead of failing it all.
enum ConcreteExport {
    static func export(_ value: CUEValue, depth: Int = 0) -> JSONValue {
        if let json = try? value.export() { return json }
        guard depth < 64 else { return .null }
        if value.isList {
            return .array(value.elements.map { export($0, depth: depth + 1) })
        }
        var object = JSONObject()
        for field in value.fields where field.kind == .regular && field.constraint == .regular {
            guard field.value.isStruct || field.value.isList || (try? field.value.export()) != nil else { continue }
            object[field.name] = export(field.value, depth: depth + 1)
        }
        return .object(object)
    }
}
