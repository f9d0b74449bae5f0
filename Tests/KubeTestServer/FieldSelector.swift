import TandemJSON

/// A parsed `fieldSelector`: `path=value`, `path==value`, `path!=value`, comma-separated.
/// Any dotted path is accepted (a real server allows only a few per kind).
struct FieldSelector: Sendable {
    struct Term: Sendable {
        var path: [String]
        var value: String
        var negated: Bool
    }

    var terms: [Term]

    static let everything = FieldSelector(terms: [])

    init(terms: [Term]) { self.terms = terms }

    init(parsing text: String) throws(APIError) {
        var terms: [Term] = []
        for part in text.split(separator: ",") where !part.trimmingSpaces().isEmpty {
            let piece = String(part)
            let (field, value, negated): (Substring, Substring, Bool)
            if let range = piece.range(of: "!=") {
                (field, value, negated) = (piece[..<range.lowerBound], piece[range.upperBound...], true)
            } else if let range = piece.range(of: "==") {
                (field, value, negated) = (piece[..<range.lowerBound], piece[range.upperBound...], false)
            } else if let range = piece.range(of: "=") {
                (field, value, negated) = (piece[..<range.lowerBound], piece[range.upperBound...], false)
            } else {
                throw .badRequest("invalid selector: '\(text)'; can't understand '\(piece)'")
            }
            let path = field.trimmingSpaces().split(separator: ".").map(String.init)
            terms.append(Term(path: path, value: value.trimmingSpaces(), negated: negated))
        }
        self.terms = terms
    }

    func matches(_ object: JSONValue) -> Bool {
        terms.allSatisfy { term in
            let found = object[path: term.path]
            let text: String
            switch found {
            case .string(let value)?: text = value
            case .int(let value)?: text = String(value)
            case .bool(let value)?: text = String(value)
            default: text = ""
            }
            return (text == term.value) != term.negated
        }
    }

    /// `metadata.name=x`: the one name a watch or list asks for, if any.
    var singleName: String? {
        terms.first { $0.path == ["metadata", "name"] && !$0.negated }?.value
    }
}
