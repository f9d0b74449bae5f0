/// Checks a YAML node against a schema, reporting every problem, and returns the value it
/// describes with defaults filled in and object keys in schema order.
public enum SchemaValidator {
    /// The validated value, or `nil` when `node` does not conform (the reasons are in `scope`'s log).
    public static func validate(_ node: YAMLNode, against schema: Schema, in scope: DiagnosticScope) -> JSONValue? {
        validate(node, schema, Place(parent: scope, component: nil))
    }

    /// Where a node sits: its parent's scope and its key or index. The node's own scope is made
    /// only when needed (for collections, or to report a problem), since most nodes are scalars.
    private struct Place {
        let parent: DiagnosticScope
        let component: FieldPath.Component?

        var scope: DiagnosticScope { component.map(parent.scoped) ?? parent }
    }

    private static func validate(_ node: YAMLNode, _ schema: Schema, _ place: Place) -> JSONValue? {
        if schema.nullable, node.isNull { return .null }
        switch schema.kind {
        case .object(let properties): return validateObject(node, schema, properties, place.scope)
        case .array(let item): return validateArray(node, schema, item, place.scope)
        case .map(let value): return validateMap(node, value, keyFormat: schema.keyFormat, place.scope)
        case .any: return plainValue(of: node, in: place.scope)
        case .deferred: return .null
        default: return validateScalar(node, schema, place)
        }
    }

    // MARK: Objects

    private static func validateObject(
        _ node: YAMLNode, _ schema: Schema, _ properties: [Property], _ scope: DiagnosticScope
    ) -> JSONValue? {
        guard let pairs = node.mapping else {
            typeMismatch(node, expected: "a mapping", scope)
            return nil
        }
        // What was given for each property, by the property's index.
        var given = [Given?](repeating: nil, count: properties.count)
        var valid = true
        for pair in pairs {
            guard let key = stringKey(pair.key, scope) else { valid = false; continue }
            guard let propertyIndex = properties.firstIndex(where: { $0.name == key }) else {
                let suggestion = Suggestion.closest(to: key, among: properties.map(\.name))
                scope.error(
                    "unknown property \(abbreviated(key))" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
                    at: [.key(key)], position: pair.key.position, code: "unknown-property",
                    hint: suggestion == nil ? "known properties: \(properties.map(\.name).joined(separator: ", "))" : nil)
                valid = false
                continue
            }
            let property = properties[propertyIndex]
            // An explicit null on an optional property means "not set".
            if !property.isRequired, pair.value.isNull { continue }
            let value = validate(pair.value, property.schema, Place(parent: scope, component: .key(key)))
            if value == nil { valid = false }
            given[propertyIndex] = Given(pair: pair, value: value)
        }
        var object = JSONObject(reservingCapacity: properties.count)
        for (index, property) in properties.enumerated() {
            if let entry = given[index] {
                if let value = entry.value { object.append(property.name, value) }
            } else if property.isRequired {
                scope.error("missing required property '\(property.name)'", position: node.position, code: "missing-property")
                valid = false
            } else if let defaultValue = property.schema.defaultValue {
                object.append(property.name, defaultValue)
            }
        }
        func isGiven(_ name: String) -> Bool {
            properties.firstIndex { $0.name == name }.map { given[$0] != nil } ?? false
        }
        func givenByName() -> [String: Given] {
            Dictionary(uniqueKeysWithValues: zip(properties, given).compactMap { property, entry in entry.map { (property.name, $0) } })
        }
        for group in schema.exactlyOneOf {
            let present = group.filter(isGiven)
            if present.isEmpty {
                scope.error("needs one of \(quotedList(group, conjunction: "or"))", position: node.position, code: "missing-choice")
                valid = false
            } else if present.count > 1 {
                reportConflict(present, given: givenByName(), schema, scope, code: "conflicting-choice",
                               rule: "takes exactly one of \(quotedList(group, conjunction: "or"))",
                               hint: schema.choiceHint ?? "keep one of them")
                valid = false
            }
        }
        for group in schema.atMostOneOf {
            let present = group.filter(isGiven)
            if present.count > 1 {
                reportConflict(present, given: givenByName(), schema, scope, code: "conflicting-properties",
                               rule: "takes only one of \(quotedList(group, conjunction: "and"))", hint: "keep one of them")
                valid = false
            }
        }
        guard valid else { return nil }
        if !schema.checks.isEmpty {
            let errorsBefore = scope.log.errorCount
            for check in schema.checks { check(object, scope) }
            if scope.log.errorCount > errorsBefore { return nil }
        }
        return .object(object)
    }

    private static func reportConflict(
        _ present: [String], given: [String: Given],
        _ schema: Schema, _ scope: DiagnosticScope, code: String, rule: String, hint: String?
    ) {
        let placed = present.compactMap { name in given[name].map { (name, $0.pair.key.position) } }
            .sorted { $0.1 < $1.1 }
        let listed = placed.map { "'\($0.0)' (line \($0.1.line))" }
        let both = placed.count == 2 ? "both \(listed[0]) and \(listed[1])" : listed.joined(separator: ", ")
        scope.error("sets \(both); \(schema.noun ?? "this object") \(rule)", position: placed.first?.1, code: code, hint: hint)
    }

    private struct Given {
        var pair: YAMLPair
        var value: JSONValue?
    }

    // MARK: Lists and maps

    private static func validateArray(_ node: YAMLNode, _ schema: Schema, _ item: Schema, _ scope: DiagnosticScope) -> JSONValue? {
        guard let items = node.sequence else {
            typeMismatch(node, expected: "a list", scope)
            return nil
        }
        if items.count > Schema.maxItems {
            scope.error("has \(items.count) items, more than the limit of \(Schema.maxItems)", position: node.position, code: "too-many-items")
            return nil
        }
        if let minItems = schema.minItems, items.count < minItems {
            scope.error("needs at least \(minItems) item\(minItems == 1 ? "" : "s")", position: node.position, code: "too-few-items")
            return nil
        }
        var values: [JSONValue] = []
        values.reserveCapacity(items.count)
        var valid = true
        var firstSeen: [String: Int] = [:]
        for (index, element) in items.enumerated() {
            let value = validate(element, item, Place(parent: scope, component: .index(index)))
            if value == nil { valid = false }
            // Read the key from the node, so that duplicates are found in invalid items too.
            if let key = schema.uniqueKey, let name = uniquenessKey(element, key) {
                if let first = firstSeen[name] {
                    let firstLine = items[first].position.line
                    scope.scoped(.index(index)).error(
                        "duplicate \(key.replacing("+", with: " and ")) '\(name)'; it is already used by item \(first) (line \(firstLine))",
                        at: [.key(String(key.prefix { $0 != "+" }))], code: "duplicate-name")
                    valid = false
                } else {
                    firstSeen[name] = index
                }
            }
            if let value { values.append(value) }
        }
        return valid ? .array(values) : nil
    }

    private static func validateMap(_ node: YAMLNode, _ valueSchema: Schema, keyFormat: StringFormat?, _ scope: DiagnosticScope) -> JSONValue? {
        guard let pairs = node.mapping else {
            typeMismatch(node, expected: "a mapping", scope)
            return nil
        }
        if pairs.count > Schema.maxItems {
            scope.error("has \(pairs.count) entries, more than the limit of \(Schema.maxItems)", position: node.position, code: "too-many-items")
            return nil
        }
        var object = JSONObject()
        var valid = true
        for pair in pairs {
            guard let key = stringKey(pair.key, scope) else { valid = false; continue }
            if let format = keyFormat, let problem = format.violation(in: key) {
                scope.error("the key \(abbreviated(key)) is not \(format.summary): \(problem)", at: [.key(key)],
                            position: pair.key.position, code: "invalid-format")
                valid = false
                continue
            }
            if let value = validate(pair.value, valueSchema, Place(parent: scope, component: .key(key))) {
                object.append(key, value)
            } else {
                valid = false
            }
        }
        return valid ? .object(object) : nil
    }

    // MARK: Scalars

    private static func validateScalar(_ node: YAMLNode, _ schema: Schema, _ place: Place) -> JSONValue? {
        guard let resolved = node.resolved, let scalar = node.scalar else {
            typeMismatch(node, expected: expectedDescription(schema), place.scope)
            return nil
        }
        switch (schema.kind, resolved) {
        case (.string, .string(let text)):
            if let allowed = schema.allowedValues, allowed.count == 1, allowed[0] != text {
                place.scope.error("must be '\(allowed[0])', not \(quoted(text))", position: node.position, code: "invalid-value")
                return nil
            }
            if let allowed = schema.allowedValues, !allowed.contains(text) {
                let suggestion = Suggestion.closest(to: text, among: allowed)
                place.scope.error(
                    "\(quoted(text)) is not one of \(quotedList(allowed, conjunction: "or"))"
                        + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
                    position: node.position, code: "invalid-value")
                return nil
            }
            if let format = schema.format, let problem = format.violation(in: text) {
                place.scope.error("\(quoted(text)) is not \(format.summary): \(problem)", position: node.position, code: "invalid-format")
                return nil
            }
            return .string(text)
        case (.string, _):
            typeMismatch(node, expected: "a string", place.scope,
                         hint: scalar.style == .plain && resolved != .null ? "quote it to make it a string: \"\(scalar.text)\"" : nil)
            return nil
        case (.integer, .int) where isAmbiguousOctal(node), (.port, .int) where isAmbiguousOctal(node):
            place.scope.error("\(scalar.text) reads as octal to kubectl (YAML 1.1) but as decimal to YAML 1.2 readers",
                              position: node.position, code: "ambiguous-number",
                              hint: "write it in decimal, or with the 0o prefix (0o\(scalar.text.drop { $0 == "0" || $0 == "+" }))")
            return nil
        case (.integer, .int(let value)):
            return checkRange(value, schema, node, place)
        case (.integer, .integerOverflow(let text)), (.port, .integerOverflow(let text)):
            place.scope.error("\(text) is too large for an integer", position: node.position, code: "integer-overflow")
            return nil
        case (.number, .int(let value)):
            return .int(value)
        case (.number, .double(let value)) where value.isFinite:
            return .double(value)
        case (.boolean, .bool(let value)):
            return .bool(value)
        case (.quantity, .int), (.quantity, .double), (.quantity, .string):
            let text = scalar.text
            guard Quantity.isValid(text) else {
                place.scope.error("\(quoted(text)) is not a valid resource quantity", position: node.position, code: "invalid-quantity",
                            hint: "use a non-negative number with an optional suffix, like 500m, 0.5, 128Mi or 1Gi")
                return nil
            }
            return .string(text)
        case (.port, .int(let value)):
            var portSchema = schema
            portSchema.range = 1...65535
            return checkRange(value, portSchema, node, place)
        case (.port, .string(let name)):
            if let problem = PortName.violation(in: name) {
                place.scope.error("\(quoted(name)) is neither a port number nor a valid port name: \(problem)",
                            position: node.position, code: "invalid-port")
                return nil
            }
            return .string(name)
        default:
            typeMismatch(node, expected: expectedDescription(schema), place.scope,
                         hint: resolved == .null ? nil : expectedHint(schema, scalar: scalar, resolved: resolved))
            return nil
        }
    }

    /// The value of `key` in a list item, as written; `a+b` joins the values of several keys
    /// (a port and its protocol), a missing one counting as empty.
    private static func uniquenessKey(_ item: YAMLNode, _ key: String) -> String? {
        let keys = key.split(separator: "+").map(String.init)
        let values = keys.map { item[$0]?.scalar?.text }
        guard let first = values.first, first != nil else { return nil }
        return values.compactMap { $0 }.joined(separator: "/")
    }

    /// `0400`: a plain integer with a leading zero, which YAML 1.1 reads as octal.
    private static func isAmbiguousOctal(_ node: YAMLNode) -> Bool {
        guard let scalar = node.scalar, scalar.style == .plain, node.tag == nil else { return false }
        let digits = scalar.text.hasPrefix("-") || scalar.text.hasPrefix("+") ? scalar.text.dropFirst() : Substring(scalar.text)
        return digits.count > 1 && digits.hasPrefix("0") && digits.allSatisfy(\.isNumber)
    }

    private static func checkRange(_ value: Int, _ schema: Schema, _ node: YAMLNode, _ place: Place) -> JSONValue? {
        if let range = schema.range, !range.contains(value) {
            let bounds = range.upperBound == .max ? "at least \(range.lowerBound)" : "from \(range.lowerBound) to \(range.upperBound)"
            place.scope.error("\(value) is out of range: must be \(bounds)", position: node.position, code: "out-of-range")
            return nil
        }
        return .int(value)
    }

    private static func expectedDescription(_ schema: Schema) -> String {
        switch schema.kind {
        case .string: return "a string"
        case .integer: return "an integer"
        case .number: return "a number"
        case .boolean: return "a boolean (true or false)"
        case .quantity: return "a resource quantity (like 500m or 1Gi)"
        case .port: return "a port number or name"
        case .array: return "a list"
        case .object, .map: return "a mapping"
        case .any, .deferred: return "a value"
        }
    }

    private static func expectedHint(_ schema: Schema, scalar: YAMLScalar, resolved: ResolvedScalar) -> String? {
        switch (schema.kind, resolved) {
        case (.integer, .double), (.port, .double): return "write a whole number, without a fraction"
        case (.integer, .string), (.number, .string), (.port, .string):
            return scalar.style == .plain ? nil : "remove the quotes to make it a number"
        case (.boolean, .string): return "write true or false"
        default: return nil
        }
    }

    // MARK: Helpers

    private static func typeMismatch(_ node: YAMLNode, expected: String, _ scope: DiagnosticScope, hint: String? = nil) {
        var found = node.kindDescription
        if let scalar = node.scalar, let resolved = node.resolved, resolved != .null {
            found += " (\(abbreviated(scalar.text)))"
        }
        scope.error("expected \(expected), found \(found)", position: node.position, code: "type-mismatch", hint: hint)
    }

    private static func stringKey(_ key: YAMLNode, _ scope: DiagnosticScope) -> String? {
        // Keys like `80` or `true` read as strings in these mappings; only collections are refused.
        if let scalar = key.scalar { return scalar.text }
        scope.error("a mapping key must be a scalar, found \(key.kindDescription)", position: key.position, code: "invalid-key")
        return nil
    }

    /// Any value, converted as the YAML 1.2 core schema reads it.
    public static func plainValue(of node: YAMLNode, in scope: DiagnosticScope) -> JSONValue? {
        switch node.content {
        case .mapping(let pairs):
            var object = JSONObject()
            var valid = true
            for pair in pairs {
                guard let key = stringKey(pair.key, scope) else { valid = false; continue }
                guard let value = plainValue(of: pair.value, in: scope.scoped(.key(key))) else { valid = false; continue }
                object.append(key, value)
            }
            return valid ? .object(object) : nil
        case .sequence(let items):
            var values: [JSONValue] = []
            var valid = true
            for (index, item) in items.enumerated() {
                guard let value = plainValue(of: item, in: scope.scoped(.index(index))) else { valid = false; continue }
                values.append(value)
            }
            return valid ? .array(values) : nil
        case .scalar:
            switch node.resolved {
            case .null?: return .null
            case .bool(let value)?: return .bool(value)
            case .int(let value)?: return .int(value)
            case .double(let value)? where value.isFinite: return .double(value)
            case .string(let text)?: return .string(text)
            case .integerOverflow(let text)?:
                scope.error("\(text) is too large for an integer", position: node.position, code: "integer-overflow")
                return nil
            default:
                scope.error("\(node.scalar?.text ?? "") is not a finite number", position: node.position, code: "invalid-number")
                return nil
            }
        }
    }

    static func abbreviated(_ text: String) -> String {
        quoted(text.count > 40 ? String(text.prefix(37)) + "..." : text)
    }

    /// A value in single quotes, with invisible and control characters written as escapes, so
    /// that a stray byte-order mark or tab is visible in the message.
    public static func quoted(_ text: String) -> String {
        var shown = "'"
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A: shown += "\\n"
            case 0x09: shown += "\\t"
            case 0..<0x20, 0x7F...0x9F, 0x200B...0x200F, 0x2028, 0x2029, 0xFEFF:
                shown += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: shown.unicodeScalars.append(scalar)
            }
        }
        return shown + "'"
    }

    static func quotedList(_ names: [String], conjunction: String) -> String {
        let quoted = names.map { "'\($0)'" }
        guard quoted.count > 1 else { return quoted.first ?? "" }
        return quoted.dropLast().joined(separator: ", ") + " \(conjunction) " + quoted.last!
    }
}
