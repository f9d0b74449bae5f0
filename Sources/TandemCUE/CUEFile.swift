/// A parsed `.cue` file.
public final class CUEFile: Sendable {
    public struct Import: Sendable, Hashable {
        public var path: String
        /// The name the file uses for the package: the alias, else the path's last element.
        public var name: String
        public var position: CUEPosition
    }

    public let name: String
    public let packageName: String?
    public let imports: [Import]
    public let root: CUEStruct

    init(name: String, packageName: String?, imports: [Import], root: CUEStruct) {
        self.name = name
        self.packageName = packageName
        self.imports = imports
        self.root = root
    }

    /// Parses CUE source; `file` names it in positions and errors.
    public static func parse(source: String, file: String, limits: CUELimits = .default) throws(CUESyntaxErrors) -> CUEFile {
        do {
            var parser = try CUEParser(source: Array(source.utf8), file: file, limits: limits)
            return try parser.parseFile()
        } catch {
            throw CUESyntaxErrors([error])
        }
    }
}
