/// Rows in aligned columns for a terminal. Columns marked as wrapping are at most so wide: with a
/// terminal width their words wrap onto continuation lines, without one a longer cell overflows.
/// The last column takes the rest of the width, or goes under the others when there is no room.
public struct TextTable: Sendable {
    public var rows: [[String]]
    /// Columns other than the last that are at most this many characters wide.
    public var wrapping: [Int: Int]

    public init(_ rows: [[String]], wrapping: [Int: Int] = [:]) {
        self.rows = rows
        self.wrapping = wrapping
    }

    public func render(width: Int?) -> String {
        guard let columns = rows.map(\.count).max(), columns > 0 else { return "" }
        var widths = (0..<columns).map { column in rows.map { $0.count > column ? $0[column].count : 0 }.max() ?? 0 }
        for (column, limit) in wrapping where column < columns - 1 { widths[column] = min(widths[column], limit) }
        let lead = widths.dropLast().reduce(0) { $0 + $1 + 2 }
        if let width, lead > width, columns > 2 { return vertical(width: width) }
        let stacked = width.map { $0 - lead < 24 && columns > 1 } ?? false
        if let width { widths[columns - 1] = stacked ? max(20, width - 4) : width - lead }
        var text = ""
        for row in rows {
            let cells = (0..<columns).map { column -> [String] in
                let cell = column < row.count ? row[column] : ""
                let wraps = width != nil && (column == columns - 1 || wrapping[column] != nil)
                return wraps ? Self.wrap(cell, width: widths[column]) : [cell]
            }
            let shown = stacked ? columns - 1 : columns
            for lineIndex in 0..<(cells.prefix(shown).map(\.count).max() ?? 1) {
                var line = ""
                for column in 0..<shown {
                    let piece = lineIndex < cells[column].count ? cells[column][lineIndex] : ""
                    line += column == columns - 1 ? piece : piece + String(repeating: " ", count: max(0, widths[column] - piece.count) + 2)
                }
                text += line.trimmingTrailingSpaces() + "\n"
            }
            if stacked, let last = cells.last, last != [""] {
                for piece in last { text += "    " + piece + "\n" }
            }
        }
        return text
    }

    /// Each row as a block, for a terminal too narrow even for the leading columns: the first
    /// cell, then the others under it, indented.
    private func vertical(width: Int) -> String {
        var text = ""
        let header = rows.first ?? []
        for row in rows.dropFirst() {
            text += (row.first ?? "") + "\n"
            // The header names what each value is, as the columns no longer do.
            let middle = row.indices.dropFirst().dropLast().compactMap { column -> String? in
                guard !row[column].isEmpty else { return nil }
                return column < header.count ? "\(header[column].lowercased()): \(row[column])" : row[column]
            }.joined(separator: "; ")
            for piece in Self.wrap(middle, width: max(20, width - 4)) where !piece.isEmpty { text += "    " + piece + "\n" }
            if row.count > 1, let last = row.last, !last.isEmpty {
                for piece in Self.wrap(last, width: max(20, width - 4)) { text += "    " + piece + "\n" }
            }
        }
        return text
    }

    /// Words of `text` in lines of at most `width` characters (a longer word has a line of its
    /// own); a list written with commas or bars breaks after them.
    public static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        let spaced = text.contains(" ")
        var words: [String] = spaced ? text.split(separator: " ").map(String.init) : []
        if !spaced {
            let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            words = parts.enumerated().map { index, part in index == parts.count - 1 ? String(part) : part + "," }
        }
        for word in words {
            let separator = spaced ? " " : ""
            if line.isEmpty {
                line = word
            } else if line.count + separator.count + word.count <= width {
                line += separator + word
            } else {
                lines.append(line)
                line = word
            }
        }
        lines.append(line)
        return lines
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
