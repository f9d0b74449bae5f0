import TandemDefinitions
import TandemJSON
import TandemModel

/// A definition's parameters as rows, nested ones with dotted names (`livenessProbe.httpGet.port`,
/// `env[].name`): what `tandem show` and the reference manual print.
public struct ParameterTable {
    public struct Row: Sendable {
        public var name: String
        public var type: String
        public var isRequired: Bool
        public var defaultValue: String
        public var description: String
    }

    public var rows: [Row] = []

    public init(_ schema: Schema) {
        add(schema, prefix: "")
    }

    private mutating func add(_ schema: Schema, prefix: String) {
        switch schema.kind {
        case .object(let properties):
            for property in properties {
                let name = prefix + property.name
                rows.append(Row(name: name, type: Self.typeName(property.schema), isRequired: property.isRequired,
                                defaultValue: property.schema.defaultValue.map(Self.literal) ?? "",
                                description: Self.describe(property.schema)))
                add(property.schema, prefix: name + ".")
            }
        case .array(let item):
            if case .object = item.kind { add(item, prefix: String(prefix.dropLast()) + "[].") }
        case .map(let value):
            if prefix.isEmpty {
                // A definition whose parameters are a map (labels, annotations): one row for its entries.
                rows.append(Row(name: "<key>", type: Self.typeName(value) + (value.nullable ? " or null" : ""), isRequired: false,
                                defaultValue: "", description: Self.describe(value)))
            }
            if case .object = value.kind { add(value, prefix: prefix.isEmpty ? "<key>." : String(prefix.dropLast()) + ".<key>.") }
        default:
            break
        }
    }

    static func describe(_ schema: Schema) -> String {
        var text = schema.description
        if !schema.exactlyOneOf.isEmpty {
            text += (text.isEmpty ? "" : " ") + schema.exactlyOneOf.map { "Exactly one of " + $0.joined(separator: ", ") + "." }.joined(separator: " ")
        }
        if !schema.atMostOneOf.isEmpty {
            text += " " + schema.atMostOneOf.map { "At most one of " + $0.joined(separator: ", ") + "." }.joined(separator: " ")
        }
        return text
    }

    /// A short name of the values a schema takes: `string`, `list of string`, `"TCP" | "UDP"`, ...
    public static func typeName(_ schema: Schema) -> String {
        switch schema.kind {
        case .string:
            if let values = schema.allowedValues { return values.map { "\"\($0)\"" }.joined(separator: " | ") }
            return "string"
        case .integer: return "integer"
        case .number: return "number"
        case .boolean: return "boolean"
        case .quantity: return "quantity"
        case .port: return "port number or name"
        case .any, .deferred: return "any"
        case .array(let item): return "list of " + typeName(item)
        case .object: return "object"
        case .map(let value): return "map of " + typeName(value)
        }
    }

    static func literal(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return "\"\(text)\""
        case .int(let number): return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        default: return JSONWriter.write(value, indentWidth: 0).replacing("\n", with: "")
        }
    }

    /// Aligned columns for a terminal; descriptions wrap to fit `width`.
    public func text(width: Int? = nil) -> String {
        TextTable([["NAME", "TYPE", "REQUIRED", "DEFAULT", "DESCRIPTION"]] + rows.map { row in
            [row.name, row.type, row.isRequired ? "yes" : "no", row.defaultValue, row.description]
        }, wrapping: [1: 24, 3: 16]).render(width: width)
    }

    /// The rows as JSON, for tools.
    public var json: JSONValue {
        .array(rows.map { row in
            ["name": .string(row.name), "type": .string(row.type), "required": .bool(row.isRequired),
             "default": row.defaultValue.isEmpty ? .null : .string(row.defaultValue), "description": .string(row.description)]
        })
    }

    /// A Markdown table.
    public var markdown: String {
        var text = "| name | type | required | default | description |\n|---|---|---|---|---|\n"
        for row in rows {
            let cells = ["`\(row.name)`", row.type, row.isRequired ? "yes" : "no",
                         row.defaultValue.isEmpty ? "" : "`\(row.defaultValue)`", row.description]
            text += "| " + cells.map { $0.replacing("|", with: "\\|") }.joined(separator: " | ") + " |\n"
        }
        return text
    }
}

extension String {
    func padded(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
