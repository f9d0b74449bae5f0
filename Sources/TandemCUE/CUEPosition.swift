/// Where something is in a CUE source: file name, 1-based line and column (in UTF-8 bytes).
public struct CUEPosition: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// For values that come from no source text (injected JSON, builtin results).
    public static let none = CUEPosition(file: "", line: 0, column: 0)

    /// `file:line:col`; just the name for a value injected from outside any source (line 0).
    public var description: String {
        if line == 0 { return file.isEmpty ? "-" : file }
        return "\(file):\(line):\(column)"
    }
}
