import TandemJSON

/// Checks a JSON value against a schema, reporting every problem, and returns the value it
/// describes with defaults filled in and object keys in schema order.
///
/// The value may come from a file or from the API server. When it was read from a file, its
/// source map gives every problem a line and column and tells how scalars were written, for hints
/// such as "quote it to make it a string"; the checks themselves never depend on it.
public struct SchemaValidator {
    /// A validated value, and its top-level keys that took their schema's default: everything
    /// else in it was given explicitly.
    public struct Result: Sendable {
        public var value: JSONValue
        public var defaultedKeys: Set<String>
    }

    private let log: DiagnosticLog
    private let source: SourceMap?
    private let limits: InputLimits
    private let base: FieldPath
    /// The keys of the object that holds the value being validated, for the hint that one of
    /// them was indented into it by mistake.
    private let enclosing: Enclosing?
    /// The path below `base` of the value being checked.
    private var path: [FieldPath.Component] = []
    private var defaultedKeys: Set<String> = []
    /// Whether to build the validated value; only checking is cheaper when it is not used.
    private var builds = true

    /// The object around a validated value: its keys, and what it is called in messages.
    public struct Enclosing: Sendable {
        public var keys: Set<String>
        public var name: String
        public var valueKey: String

        public init(keys: Set<String>, name: String, valueKey: String) {
            self.keys = keys
            self.name = name
            self.valueKey = valueKey
        }
    }

    private init(scope: DiagnosticScope, limits: InputLimits, enclosing: Enclosing? = nil) {
        log = scope.log
        source = scope.source
        self.limits = limits
        base = scope.path
        self.enclosing = enclosing
    }

    /// Validates the value at `scope`'s path; a missing value (`nil`) is checked as an empty
    /// mapping, so required properties are reported and defaults filled in. `nil` when the value
    /// does not conform (the reasons are in `scope`'s log).
    public static func validate(
        _ value: JSONValue?, against schema: Schema, in scope: DiagnosticScope, limits: InputLimits = .default,
        enclosing: Enclosing? = nil
    ) -> Result? {
        var validator = SchemaValidator(scope: scope, limits: limits, enclosing: enclosing)
        let node = value == nil ? nil : scope.source?.node(at: scope.path)
        guard let checked = validator.check(value ?? .object(JSONObject()), schema, node: node) else { return nil }
        return Result(value: checked, defaultedKeys: validator.defaultedKeys)
    }

    /// Whether the value at `scope`'s path conforms, reporting every problem, without building
    /// the validated value (for an envelope read as it is).
    public static func conforms(
        _ value: JSONValue, to schema: Schema, in scope: DiagnosticScope, limits: InputLimits = .default
    ) -> Bool {
        var validator = SchemaValidator(scope: scope, limits: limits)
        validator.builds = false
        return validator.check(value, schema, node: scope.source?.node(at: scope.path)) != nil
    }

    /// Any value, checked only for numbers no reader agrees on (too large, or not finite).
    public static func plainValue(_ value: JSONValue, in scope: DiagnosticScope) -> JSONValue? {
        var validator = SchemaValidator(scope: scope, limits: .default)
        return validator.checkPlain(value, node: scope.source?.node(at: scope.path))
    }

    private mutating func check(_ value: JSONValue, _ schema: Schema, node: Int?) -> JSONValue? {
        if schema.nullable, value == .null { return .null }
        switch schema.kind {
        case .object(let properties): return checkObject(value, schema, properties, node: node)
        case .array(let item): return checkArray(value, schema, item, node: node)
        case .map(let valueSchema): return checkMap(value, valueSchema, keyFormat: schema.keyFormat, node: node)
        case .any: return checkPlain(value, node: node)
        case .deferred: return .null
        default: return checkScalar(value, schema, node: node)
        }
    }

    private mutating func descend<Result>(_ component: FieldPath.Component, _ body: (inout SchemaValidator) -> Result) -> Result {
        path.append(component)
        defer { path.removeLast() }
        return body(&self)
    }

    // MARK: Objects

    private mutating func checkObject(_ value: JSONValue, _ schema: Schema, _ properties: [Property], node: Int?) -> JSONValue? {
        guard case .object(let members) = value else {
            var hint: String?
            switch value {
            case .object, .array, .null: break
            default:
                // `ports: [5432]` where `ports: [{port: 5432}]` is meant: show the mapping form.
                if let first = properties.first(where: \.isRequired) {
                    hint = "write it as a mapping: {\(first.name): \(writtenText(value, node: node))}"
                }
            }
            typeMismatch(value, expected: "a mapping", node: node, hint: hint)
            return nil
        }
        // What was given for each property: an index into `entries`, or -1.
        var slots = [Int](repeating: -1, count: properties.count)
        var entries: [Given] = []
        entries.reserveCapacity(members.count)
        var extras: [JSONObject.Member] = []  // an open object's other members, kept as they are
        var valid = true
        var child = node.map { $0 + 1 }
        for (order, member) in members.enumerated() {
            let memberNode = child
            if let current = child { child = source?.nextSibling(of: current) }
            let key = member.key
            guard let propertyIndex = schema.indexOfProperty(named: key) else {
                if schema.isOpen {
                    extras.append(member)
                    if descend(.key(key), { $0.checkPlain(member.value, node: memberNode) }) == nil { valid = false }
                    continue
                }
                let suggestion = schema.misplacedKeys[key] == nil ? Suggestion.closest(to: key, among: properties.map(\.name)) : nil
                var hint = suggestion == nil ? "known properties: \(properties.map(\.name).joined(separator: ", "))" : nil
                if let advice = schema.misplacedKeys[key] {
                    hint = advice
                } else if path.isEmpty, let enclosing, enclosing.keys.contains(key) {
                    hint = "'\(key)' belongs to the \(enclosing.name), one level up: indent it like '\(enclosing.valueKey)', not under it"
                }
                report("unknown property \(Self.abbreviated(key))" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
                       at: .key(key), node: memberNode, position: memberNode.flatMap { source?.node($0).keyPosition },
                       code: .unknownProperty, hint: hint)
                valid = false
                continue
            }
            // An explicit null on an optional property means "not set".
            if !properties[propertyIndex].isRequired, member.value == .null { continue }
            let checked = descend(.key(key)) { $0.check(member.value, properties[propertyIndex].schema, node: memberNode) }
            if checked == nil { valid = false }
            slots[propertyIndex] = entries.count
            entries.append(Given(node: memberNode, order: order, value: checked))
        }
        var object = JSONObject(reservingCapacity: builds ? properties.count : 0)
        let exempt = schema.requiredUnlessGiven.flatMap { schema.indexOfProperty(named: $0) }.map { slots[$0] >= 0 } ?? false
        for index in properties.indices {
            let slot = slots[index]
            if slot >= 0 {
                if builds, let checked = entries[slot].value { object.append(properties[index].name, checked) }
            } else if properties[index].isRequired, !exempt {
                report("missing required property '\(properties[index].name)'", node: node, code: .missingProperty)
                valid = false
            } else if builds, let defaultValue = properties[index].schema.defaultValue {
                object.append(properties[index].name, defaultValue)
                if path.isEmpty { defaultedKeys.insert(properties[index].name) }
            }
        }
        if builds { for member in extras { object.append(member.key, member.value) } }
        for group in schema.atLeastOneOf where !group.contains(where: { name in schema.indexOfProperty(named: name).map { slots[$0] >= 0 } ?? false }) {
            report("sets nothing: give \(Self.quotedList(group, conjunction: "or"))", node: node, code: .emptyTrait)
            valid = false
        }
        if !schema.exactlyOneOf.isEmpty || !schema.atMostOneOf.isEmpty {
            func isGiven(_ name: String) -> Bool {
                schema.indexOfProperty(named: name).map { slots[$0] >= 0 } ?? false
            }
            func entry(_ name: String) -> Given? {
                schema.indexOfProperty(named: name).flatMap { slots[$0] >= 0 ? entries[slots[$0]] : nil }
            }
            for group in schema.exactlyOneOf {
                let present = group.filter(isGiven)
                if present.isEmpty {
                    report("needs one of \(Self.quotedList(group, conjunction: "or"))", node: node, code: .missingChoice)
                    valid = false
                } else if present.count > 1 {
                    reportConflict(present.compactMap { name in entry(name).map { (name, $0) } }, schema, node: node,
                                   code: .conflictingChoice, rule: "takes exactly one of \(Self.quotedList(group, conjunction: "or"))",
                                   hint: schema.choiceHint ?? "keep one of \(Self.quotedList(present, conjunction: "and"))")
                    valid = false
                }
            }
            for group in schema.atMostOneOf {
                let present = group.filter(isGiven)
                if present.count > 1 {
                    reportConflict(present.compactMap { name in entry(name).map { (name, $0) } }, schema, node: node,
                                   code: .conflictingProperties, rule: "takes only one of \(Self.quotedList(group, conjunction: "and"))",
                                   hint: "keep one of \(Self.quotedList(present, conjunction: "and"))")
                    valid = false
                }
            }
        }
        guard valid else { return nil }
        if !schema.checks.isEmpty {
            let scope = DiagnosticScope(log: log, source: source, path: fullPath())
            let errorsBefore = log.errorCount
            for check in schema.checks { check(builds ? object : members, scope) }
            if log.errorCount > errorsBefore { return nil }
        }
        return builds ? .object(object) : .null
    }

    private func reportConflict(
        _ present: [(name: String, entry: Given)], _ schema: Schema, node: Int?, code: DiagnosticCode, rule: String, hint: String?
    ) {
        func keyPosition(_ entry: Given) -> SourcePosition? { entry.node.flatMap { source?.node($0).keyPosition } }
        let placed = present.sorted { lhs, rhs in
            if let left = keyPosition(lhs.entry), let right = keyPosition(rhs.entry), left != right { return left < right }
            return lhs.entry.order < rhs.entry.order
        }
        let listed = placed.map { entry in keyPosition(entry.entry).map { "'\(entry.name)' (line \($0.line))" } ?? "'\(entry.name)'" }
        let both = listed.count == 2 ? "both \(listed[0]) and \(listed[1])" : listed.joined(separator: ", ")
        report("sets \(both); \(schema.noun ?? "this object") \(rule)", node: node,
               position: placed.first.flatMap { keyPosition($0.entry) }, code: code, hint: hint)
    }

    private struct Given {
        var node: Int?
        var order: Int
        var value: JSONValue?
    }

    // MARK: Lists and maps

    private mutating func checkArray(_ value: JSONValue, _ schema: Schema, _ item: Schema, node: Int?) -> JSONValue? {
        guard case .array(let items) = value else {
            typeMismatch(value, expected: "a list", node: node)
            return nil
        }
        if items.count > limits.maxItems {
            report("has \(items.count) items, more than the limit of \(limits.maxItems)", node: node, code: .tooManyItems)
            return nil
        }
        if let minItems = schema.minItems, items.count < minItems {
            report("needs at least \(minItems) item\(minItems == 1 ? "" : "s")", node: node, code: .tooFewItems)
            return nil
        }
        var values: [JSONValue] = []
        if builds { values.reserveCapacity(items.count) }
        var valid = true
        var firstSeen: [String: (index: Int, node: Int?)] = [:]
        var child = node.map { $0 + 1 }
        for (index, element) in items.enumerated() {
            let itemNode = child
            if let current = child { child = source?.nextSibling(of: current) }
            let checked = descend(.index(index)) { $0.check(element, item, node: itemNode) }
            if checked == nil { valid = false }
            // Read the key from the value as given, so that duplicates are found in invalid items too.
            if let key = schema.uniqueKey, let name = Self.uniquenessKey(element, key) {
                if let first = firstSeen[name] {
                    let firstLine = first.node.flatMap { source?.node($0).position.line }.map { " (line \($0))" } ?? ""
                    let keyName = String(key.prefix { $0 != "+" })
                    descend(.index(index)) { validator in
                        validator.report(
                            "duplicate \(key.replacing("+", with: " and ")) '\(name)'; it is already used by item \(first.index)\(firstLine)",
                            at: .key(keyName), node: nil, code: .duplicateItem)
                    }
                    valid = false
                } else {
                    firstSeen[name] = (index, itemNode)
                }
            }
            if builds, let checked { values.append(checked) }
        }
        return valid ? .array(values) : nil
    }

    private mutating func checkMap(_ value: JSONValue, _ valueSchema: Schema, keyFormat: StringFormat?, node: Int?) -> JSONValue? {
        guard case .object(let members) = value else {
            typeMismatch(value, expected: "a mapping", node: node)
            return nil
        }
        if members.count > limits.maxItems {
            report("has \(members.count) entries, more than the limit of \(limits.maxItems)", node: node, code: .tooManyItems)
            return nil
        }
        var object = JSONObject(reservingCapacity: builds ? members.count : 0)
        var valid = true
        var child = node.map { $0 + 1 }
        for member in members {
            let memberNode = child
            if let current = child { child = source?.nextSibling(of: current) }
            if let format = keyFormat, let problem = format.violation(in: member.key) {
                report("the key \(Self.abbreviated(member.key)) is not \(format.summary): \(problem)", at: .key(member.key),
                       node: memberNode, position: memberNode.flatMap { source?.node($0).keyPosition }, code: .invalidFormat)
                valid = false
                continue
            }
            if let checked = descend(.key(member.key), { $0.check(member.value, valueSchema, node: memberNode) }) {
                if builds { object.append(member.key, checked) }
            } else {
                valid = false
            }
        }
        return valid ? .object(object) : nil
    }

    // MARK: Scalars

    private mutating func checkScalar(_ value: JSONValue, _ schema: Schema, node: Int?) -> JSONValue? {
        let flags = node.map { source?.node($0).flags ?? [] } ?? []
        if flags.contains(.integerOverflow) {
            switch schema.kind {
            case .integer, .port:
                report("\(writtenText(value, node: node)) is too large for an integer", node: node, code: .integerOverflow)
            default:
                var isString = false
                if case .string = schema.kind { isString = true }
                typeMismatch(value, expected: Self.expectedDescription(schema), node: node,
                             hint: isString ? quoteHint(value, node: node) : nil)
            }
            return nil
        }
        switch (schema.kind, value) {
        case (.string, .string(let text)):
            if let allowed = schema.allowedValues, allowed.count == 1, allowed[0] != text {
                report("must be '\(allowed[0])', not \(Self.quoted(text))", node: node, code: .invalidValue)
                return nil
            }
            if let allowed = schema.allowedValues, !allowed.contains(text) {
                let suggestion = Suggestion.closest(to: text, among: allowed)
                report("\(Self.quoted(text)) is not one of \(Self.quotedList(allowed, conjunction: "or"))"
                        + (suggestion.map { "; did you mean '\($0)'?" } ?? ""), node: node, code: .invalidValue)
                return nil
            }
            if let format = schema.format, let problem = format.violation(in: text) {
                report("\(Self.quoted(text)) is not \(format.summary): \(problem)", node: node, code: .invalidFormat)
                return nil
            }
            return value
        case (.string, _):
            typeMismatch(value, expected: "a string", node: node, hint: quoteHint(value, node: node))
            return nil
        case (.integer, .int(let number)), (.port, .int(let number)):
            if flags.contains(.ambiguousOctal) {
                let text = writtenText(value, node: node)
                if text.contains(where: { $0 == "8" || $0 == "9" }) {
                    // Not octal at all: YAML 1.1 readers take it for text or a float, YAML 1.2 for a decimal.
                    report("\(text) has a leading zero, which YAML readers do not agree on", node: node,
                           code: .ambiguousNumber, hint: "write \(number) without the leading zero")
                } else {
                    report("\(text) reads as octal to kubectl (YAML 1.1) but as decimal to YAML 1.2 readers", node: node,
                           code: .ambiguousNumber,
                           hint: "write it in decimal, or with the 0o prefix (0o\(text.drop { $0 == "0" || $0 == "+" }))")
                }
                return nil
            }
            if case .port = schema.kind { return checkRange(number, 1...65535, node: node) }
            return checkRange(number, schema.range, node: node)
        case (.number, .int), (.boolean, .bool):
            return value
        case (.number, .double(let number)) where number.isFinite:
            return value
        case (.quantity, .int), (.quantity, .double), (.quantity, .string):
            let text = quantityText(value, node: node)
            guard Quantity.isValid(text) else {
                report("\(Self.quoted(text)) is not a valid resource quantity", node: node, code: .invalidQuantity,
                       hint: "use a non-negative number with an optional suffix, like 500m, 0.5, 128Mi or 1Gi")
                return nil
            }
            return .string(text)
        case (.port, .string(let name)):
            if let problem = PortName.violation(in: name) {
                report("\(Self.quoted(name)) is neither a port number nor a valid port name: \(problem)", node: node, code: .invalidPort)
                return nil
            }
            return value
        default:
            typeMismatch(value, expected: Self.expectedDescription(schema), node: node,
                         hint: value == .null ? nil : expectedHint(schema, value, node: node))
            return nil
        }
    }

    private func checkRange(_ value: Int, _ range: ClosedRange<Int>?, node: Int?) -> JSONValue? {
        if let range, !range.contains(value) {
            let bounds = range.upperBound == .max ? "at least \(range.lowerBound)" : "from \(range.lowerBound) to \(range.upperBound)"
            report("\(value) is out of range: must be \(bounds)", node: node, code: .outOfRange)
            return nil
        }
        return .int(value)
    }

    /// A quantity's text: as written when read from a file (`1e3` stays `1e3`).
    private func quantityText(_ value: JSONValue, node: Int?) -> String {
        if case .string(let text) = value { return text }
        return writtenText(value, node: node)
    }

    // MARK: Values taken as they are

    private mutating func checkPlain(_ value: JSONValue, node: Int?) -> JSONValue? {
        switch value {
        case .object(let members):
            var valid = true
            var child = node.map { $0 + 1 }
            for member in members {
                let memberNode = child
                if let current = child { child = source?.nextSibling(of: current) }
                if descend(.key(member.key), { $0.checkPlain(member.value, node: memberNode) }) == nil { valid = false }
            }
            return valid ? value : nil
        case .array(let items):
            var valid = true
            var child = node.map { $0 + 1 }
            for (index, item) in items.enumerated() {
                let itemNode = child
                if let current = child { child = source?.nextSibling(of: current) }
                if descend(.index(index), { $0.checkPlain(item, node: itemNode) }) == nil { valid = false }
            }
            return valid ? value : nil
        case .double(let number):
            if let node, source?.node(node).flags.contains(.integerOverflow) == true {
                report("\(writtenText(value, node: node)) is too large for an integer", node: node, code: .integerOverflow)
                return nil
            }
            guard number.isFinite else {
                report("\(writtenText(value, node: node)) is not a finite number", node: node, code: .invalidNumber)
                return nil
            }
            return value
        default:
            return value
        }
    }

    // MARK: Reporting

    private func fullPath(_ extra: FieldPath.Component? = nil) -> FieldPath {
        var components = base.components + path
        if let extra { components.append(extra) }
        return FieldPath(components)
    }

    /// Reports a problem with the value at the current path (or its member `extra`), placed at
    /// `position`, else at `node`, else at the closest enclosing value the file has.
    private func report(
        _ message: String, at extra: FieldPath.Component? = nil, node: Int?, position: SourcePosition? = nil,
        code: DiagnosticCode, hint: String? = nil
    ) {
        let path = fullPath(extra)
        if log.isFull {
            log.countDropped(.error, location: nil)
            return
        }
        var location: SourceLocation?
        if let source {
            let place = position ?? node.map { source.node($0).position } ?? source.position(of: path)
            location = SourceLocation(file: source.file, position: place)
        }
        log.add(Diagnostic(.error, code: code, message, path: path, location: location, hint: hint))
    }

    private func typeMismatch(_ value: JSONValue, expected: String, node: Int?, hint: String? = nil) {
        var found = kindDescription(value, node: node)
        switch value {
        case .null, .array, .object: break
        default: found += " (\(Self.abbreviated(writtenText(value, node: node))))"
        }
        report("expected \(expected), found \(found)", node: node, code: .typeMismatch, hint: hint)
    }

    /// "quote it to make it a string", for a scalar written without quotes that read as another type.
    private func quoteHint(_ value: JSONValue, node: Int?) -> String? {
        guard let node, let source, value != .null else { return nil }
        let flags = source.node(node).flags
        guard flags.contains(.scalar), !flags.contains(.quoted) else { return nil }
        return "quote it to make it a string: \"\(writtenText(value, node: node))\""
    }

    private func expectedHint(_ schema: Schema, _ value: JSONValue, node: Int?) -> String? {
        switch (schema.kind, value) {
        case (.integer, .double), (.port, .double): return "write a whole number, without a fraction"
        case (.integer, .string(let text)), (.number, .string(let text)), (.port, .string(let text)):
            // Only a number that was quoted can lose its quotes; JSON quotes every string.
            let quoted = node.map { source?.node($0).flags.contains(.quoted) ?? true } ?? true
            return quoted && Double(text) != nil ? "remove the quotes to make it a number" : nil
        case (.boolean, .string): return "write true or false"
        default: return nil
        }
    }

    /// How a scalar was written: its text in the file, or the value written out.
    private func writtenText(_ value: JSONValue, node: Int?) -> String {
        if let node, let text = source?.writtenText(of: node) { return text }
        switch value {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .double(let number): return Self.numberText(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .array, .object: return ""
        }
    }

    private func kindDescription(_ value: JSONValue, node: Int?) -> String {
        switch value {
        case .object: return "a mapping"
        case .array: return "a list"
        case .null: return "null"
        case .bool: return "a boolean"
        case .int: return "an integer"
        case .double:
            if let node, source?.node(node).flags.contains(.integerOverflow) == true { return "an integer" }
            return "a number"
        case .string: return "a string"
        }
    }

    static func numberText(_ number: Double) -> String {
        if number.isNaN { return ".nan" }
        if number.isInfinite { return number < 0 ? "-.inf" : ".inf" }
        if number == number.rounded(), abs(number) < 1e15 { return String(Int(number)) }
        return "\(number)"
    }

    /// The value of `key` in a list item, as text; `a+b` joins the values of several keys (a
    /// port and its protocol), a missing one left out.
    private static func uniquenessKey(_ item: JSONValue, _ key: String) -> String? {
        let values = key.split(separator: "+").map { item[String($0)].flatMap(scalarText) }
        guard let first = values.first, first != nil else { return nil }
        return values.compactMap { $0 }.joined(separator: "/")
    }

    private static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .double(let number): return numberText(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .null, .array, .object: return nil
        }
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

    public static func quotedList(_ names: [String], conjunction: String) -> String {
        let quoted = names.map { "'\($0)'" }
        guard let last = quoted.last, quoted.count > 1 else { return quoted.first ?? "" }
        return quoted.dropLast().joined(separator: ", ") + " \(conjunction) " + last
    }
}
