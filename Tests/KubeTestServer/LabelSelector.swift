import TandemJSON

/// A parsed `labelSelector`: comma-separated requirements, all of which must hold
/// (`a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x,y)`, `a`, `!a`, `a>1`, `a<1`).
struct LabelSelector: Sendable {
    enum Operator: Sendable { case equals, notEquals, `in`, notIn, exists, doesNotExist, greaterThan, lessThan }

    struct Requirement: Sendable {
        var key: String
        var op: Operator
        var values: [String]

        func matches(_ labels: [String: String]) -> Bool {
            let value = labels[key]
            switch op {
            case .equals, .in: return value.map(values.contains) ?? false
            case .notEquals, .notIn: return value.map { !values.contains($0) } ?? true
            case .exists: return value != nil
            case .doesNotExist: return value == nil
            case .greaterThan, .lessThan:
                guard let value, let number = Int(value), let bound = values.first.flatMap({ Int($0) }) else { return false }
                return op == .greaterThan ? number > bound : number < bound
            }
        }
    }

    var requirements: [Requirement]

    static let everything = LabelSelector(requirements: [])

    func matches(_ labels: [String: String]) -> Bool { requirements.allSatisfy { $0.matches(labels) } }

    func matches(object: JSONValue) -> Bool {
        requirements.isEmpty || matches(Self.labels(of: object))
    }

    static func labels(of object: JSONValue) -> [String: String] {
        var labels: [String: String] = [:]
        for member in object[path: ["metadata", "labels"]]?.object ?? [:] {
            if let value = member.value.string { labels[member.key] = value }
        }
        return labels
    }

    /// A selector of `matchLabels` and `matchExpressions` (a Deployment's `spec.selector`).
    init(labelSelector: JSONValue?) {
        var requirements: [Requirement] = []
        for member in labelSelector?["matchLabels"]?.object ?? [:] {
            requirements.append(Requirement(key: member.key, op: .equals, values: [member.value.string ?? ""]))
        }
        for expression in labelSelector?["matchExpressions"]?.array ?? [] {
            let key = expression["key"]?.string ?? ""
            let values = expression["values"]?.strings ?? []
            switch expression["operator"]?.string {
            case "In": requirements.append(Requirement(key: key, op: .in, values: values))
            case "NotIn": requirements.append(Requirement(key: key, op: .notIn, values: values))
            case "Exists": requirements.append(Requirement(key: key, op: .exists, values: []))
            case "DoesNotExist": requirements.append(Requirement(key: key, op: .doesNotExist, values: []))
            default: break
            }
        }
        self.requirements = requirements
    }

    init(requirements: [Requirement]) {
        self.requirements = requirements
    }

    /// Parses the query form; the error is the message of the real server's 400.
    init(parsing text: String) throws(APIError) {
        var lexer = SelectorLexer(text)
        var requirements: [Requirement] = []
        while true {
            guard let token = lexer.next() else { break }
            var key: String
            if token == .not {
                guard case .word(let name)? = lexer.next() else { throw Self.failure("found '', expected: identifier") }
                requirements.append(Requirement(key: name, op: .doesNotExist, values: []))
            } else {
                guard case .word(let name) = token else { throw Self.failure("found '\(token)', expected: !, identifier, or 'end of string'") }
                key = name
                switch lexer.next() {
                case nil, .comma?:
                    requirements.append(Requirement(key: key, op: .exists, values: []))
                    continue
                case .equals?, .doubleEquals?:
                    requirements.append(Requirement(key: key, op: .equals, values: [try lexer.value()]))
                case .notEquals?:
                    requirements.append(Requirement(key: key, op: .notEquals, values: [try lexer.value()]))
                case .greater?:
                    requirements.append(Requirement(key: key, op: .greaterThan, values: [try lexer.value()]))
                case .less?:
                    requirements.append(Requirement(key: key, op: .lessThan, values: [try lexer.value()]))
                case .word("in")?:
                    requirements.append(Requirement(key: key, op: .in, values: try lexer.set()))
                case .word("notin")?:
                    requirements.append(Requirement(key: key, op: .notIn, values: try lexer.set()))
                case let other?:
                    throw Self.failure("found '\(other)', expected: in, notin, =, ==, !=, gt, lt")
                }
            }
            switch lexer.next() {
            case nil: break
            case .comma?: continue
            case let other?: throw Self.failure("found '\(other)', expected: ',' or 'end of string'")
            }
            break
        }
        self.requirements = requirements
    }

    static func failure(_ detail: String) -> APIError {
        .badRequest("unable to parse requirement: \(detail)")
    }
}

/// The tokens of a label selector.
private struct SelectorLexer {
    enum Token: Equatable, CustomStringConvertible {
        case word(String), comma, open, close, not, equals, doubleEquals, notEquals, greater, less

        var description: String {
            switch self {
            case .word(let text): return text
            case .comma: return ","
            case .open: return "("
            case .close: return ")"
            case .not: return "!"
            case .equals: return "="
            case .doubleEquals: return "=="
            case .notEquals: return "!="
            case .greater: return ">"
            case .less: return "<"
            }
        }
    }

    private let characters: [Character]
    private var position = 0
    private var peeked: Token??

    init(_ text: String) { characters = Array(text) }

    private static let special: Set<Character> = [",", "(", ")", "!", "=", ">", "<", " ", "\t"]

    mutating func next() -> Token? {
        if let token = peeked { peeked = nil; return token }
        while position < characters.count, characters[position] == " " || characters[position] == "\t" { position += 1 }
        guard position < characters.count else { return nil }
        let character = characters[position]
        position += 1
        switch character {
        case ",": return .comma
        case "(": return .open
        case ")": return .close
        case ">": return .greater
        case "<": return .less
        case "=":
            if position < characters.count, characters[position] == "=" { position += 1; return .doubleEquals }
            return .equals
        case "!":
            if position < characters.count, characters[position] == "=" { position += 1; return .notEquals }
            return .not
        default:
            var word = String(character)
            while position < characters.count, !Self.special.contains(characters[position]) {
                word.append(characters[position])
                position += 1
            }
            return .word(word)
        }
    }

    /// The value after `=`: a word, or empty at a comma or the end.
    mutating func value() throws(APIError) -> String {
        let token = next()
        switch token {
        case .word(let text)?: return text
        case nil: return ""
        case .comma?: peeked = .some(.comma); return ""
        case let other?: throw LabelSelector.failure("found '\(other)', expected: identifier")
        }
    }

    /// `(a, b, c)`.
    mutating func set() throws(APIError) -> [String] {
        guard next() == .open else { throw LabelSelector.failure("found '', expected: '('") }
        var values: [String] = []
        while true {
            switch next() {
            case .word(let text)?: values.append(text)
            case .comma?: continue
            case .close?: return values
            default: throw LabelSelector.failure("found '', expected: ',', ')' or identifier")
            }
        }
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while slice.first == " " { slice = slice.dropFirst() }
        while slice.last == " " { slice = slice.dropLast() }
        return String(slice)
    }
}
