import Foundation
import TandemCUE
import TandemJSON
import TandemModel

/// Tandem's `Schema` for a template's `parameter`, so that validation, `tandem show`, `schema`
/// and `docs` treat a CUE definition as they treat a built-in: types, defaults, enums from
/// disjunctions, `+usage` comments as descriptions, required and optional fields, and closed
/// structs that refuse unknown properties. CUE checks the rest (bounds, patterns) when the
/// template is evaluated.
enum ParameterSchema {
    /// Nesting deeper than this is described as "any" (CUE still checks it).
    static let maxDepth = 32

    static func describe(_ value: CUEValue, description: String = "", depth: Int = 0) -> Schema {
        guard depth < maxDepth else { return .any(description) }
        var kinds = value.kindNames
        let nullable = kinds.count > 1 && kinds.remove("null") != nil
        var schema: Schema
        if kinds == ["string"] {
            schema = .string(description)
            let choices = value.disjuncts.compactMap { try? $0.value.export().string }
            if choices.count == value.disjuncts.count, !choices.isEmpty { schema.allowedValues = choices }
        } else if kinds == ["int"] {
            schema = .integer(description)
            let bounds = value.integerBounds
            if bounds.lower != nil || bounds.upper != nil {
                schema.range = (bounds.lower ?? Int.min)...(bounds.upper ?? Int.max)
            }
        } else if kinds == ["int", "float"] || kinds == ["float"] {
            schema = Schema(.number, description)
        } else if kinds == ["bool"] {
            schema = .boolean(description)
        } else if kinds == ["list"] {
            let element = value.listElementConstraint.map { describe($0, depth: depth + 1) } ?? .any()
            schema = .array(of: element, description)
        } else if kinds.contains("struct"), value.disjuncts.count > 1 {
            // One of several shapes (`#Params | close({containers: [...#Params]})`): CUE checks it.
            schema = .any(description)
        } else if kinds == ["struct"] {
            schema = structSchema(value, description: description, depth: depth)
        } else {
            schema = .any(description)
        }
        // A disjunction's default, a concrete scalar, or an open list (`[...string]` is `[]` until given).
        if !kinds.contains("struct"), let defaultValue = value.defaultValue,
           !value.disjuncts.isEmpty || isScalar(defaultValue) || kinds == ["list"] {
            schema.defaultValue = defaultValue
        }
        return nullable ? schema.orNull : schema
    }

    private static func structSchema(_ value: CUEValue, description: String, depth: Int) -> Schema {
        let fields = value.fields.filter { $0.kind == .regular }
        let pattern = value.patternConstraint
        if fields.isEmpty, let pattern {
            return .map(of: describe(pattern, depth: depth + 1), description)
        }
        let properties = fields.map { field in
            var child = describe(field.value, description: usage(field.docComments), depth: depth + 1)
            // An optional field stays absent until given, whatever its default (as in CUE).
            if field.constraint == .optional { child.defaultValue = nil }
            // A regular field without a default must be given; `?:` never must.
            let required = field.constraint == .required || (field.constraint == .regular && child.defaultValue == nil && !hasDefaults(field.value))
            return Property(field.name, child, required: required)
        }
        var schema = Schema.object(description, properties)
        schema.isOpen = !value.isClosedStruct
        return schema
    }

    /// A struct whose every field has a default (or is optional) is filled in by CUE itself.
    private static func hasDefaults(_ value: CUEValue) -> Bool {
        guard value.kindNames == ["struct"] else { return false }
        return value.fields.filter { $0.kind == .regular }.allSatisfy { field in
            field.constraint == .optional || field.value.defaultValue != nil || hasDefaults(field.value)
        }
    }

    private static func isScalar(_ value: JSONValue) -> Bool {
        switch value {
        case .object, .array: return false
        default: return true
        }
    }

    /// The `+usage=` text of a field's comments, else its comments as they are.
    static func usage(_ comments: [String]) -> String {
        for line in comments {
            if let range = line.range(of: "+usage=") { return String(line[range.upperBound...]).trimmingCharacters(in: .whitespaces) }
        }
        return comments.filter { !$0.contains("+") }.joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }
}
