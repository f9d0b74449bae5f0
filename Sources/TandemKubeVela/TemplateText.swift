import Foundation
/// The text of a `vela def` file's `template: { ... }` body, as KubeVela keeps it in a
/// definition object's `spec.schematic.cue.template`: the file's imports, then the body.
enum TemplateText {
    static func extract(from source: String, templateLine: Int) -> String? {
        guard templateLine >= 1 else { return nil }
        let text = Substring(source)
        // The template's line starts after the file's (templateLine - 1)th newline.
        var start = text.utf8.startIndex
        for _ in 1..<templateLine {
            guard let newline = text.utf8[start...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
            start = text.utf8.index(after: newline)
        }
        let bytes = Array(text.utf8[start...])
        guard let open = bytes.firstIndex(of: UInt8(ascii: "{")), let close = matchingBrace(bytes, from: open) else { return nil }
        let body = String(decoding: bytes[(open + 1)..<close], as: UTF8.self)
        let dedented = Self.lines(of: Substring(body)).map { line -> Substring in
            line.utf8.first == UInt8(ascii: "\t") ? line.dropFirst() : line
        }.joined(separator: "\n").trimmingNewlines
        let imports = importBlock(lines(of: text[..<start]).dropLast())
        return (imports.isEmpty ? "" : imports + "\n\n") + dedented + "\n"
    }

    /// The text's lines, split at each newline byte (splitting by character cost thousands of
    /// instructions a line, and kept a Windows line ending's "\r\n" together as one character).
    static func lines(of text: Substring) -> [Substring] {
        text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { Substring($0) }
    }

    /// The `import` declarations before the template, as written.
    private static func importBlock(_ lines: ArraySlice<Substring>) -> String {
        var result: [Substring] = []
        var inBlock = false
        for line in lines {
            let text = line.trimmingLeadingSpaces
            if inBlock {
                result.append(line)
                if text.hasPrefix(")") { inBlock = false }
            } else if text.hasPrefix("import") {
                result.append(line)
                inBlock = text.hasSuffix("(")
            }
        }
        return result.joined(separator: "\n")
    }

    /// The index of the `}` closing the `{` at `open`, skipping strings and comments.
    private static func matchingBrace(_ bytes: [UInt8], from open: Int) -> Int? {
        var depth = 0
        var index = open
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), slash = UInt8(ascii: "/"), newline = UInt8(ascii: "\n")
        while index < bytes.count {
            let byte = bytes[index]
            if byte == slash, index + 1 < bytes.count, bytes[index + 1] == slash {
                while index < bytes.count, bytes[index] != newline { index += 1 }
                continue
            }
            if byte == quote {
                let triple = index + 2 < bytes.count && bytes[index + 1] == quote && bytes[index + 2] == quote
                index += triple ? 3 : 1
                while index < bytes.count {
                    if bytes[index] == backslash { index += 2; continue }
                    if bytes[index] == quote {
                        if !triple { break }
                        if index + 2 < bytes.count, bytes[index + 1] == quote, bytes[index + 2] == quote { index += 2; break }
                    }
                    if !triple, bytes[index] == newline { break }
                    index += 1
                }
                index += 1
                continue
            }
            if byte == UInt8(ascii: "{") { depth += 1 }
            if byte == UInt8(ascii: "}") {
                depth -= 1
                if depth == 0 { return index }
            }
            index += 1
        }
        return nil
    }
}

extension StringProtocol {
    var trimmingLeadingSpaces: SubSequence { drop { $0 == " " || $0 == "\t" } }
    var trimmingNewlines: String {
        var text = String(self)
        while text.hasPrefix("\n") { text.removeFirst() }
        while text.hasSuffix("\n") || text.hasSuffix("\t") || text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}
