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

extension CUEFile {
    /// The struct a top-level field of this file holds (`template: { ... }` in a KubeVela
    /// definition file), as a file of its own with this file's imports; positions stay those of
    /// this file. Nil when there is no such field or its value is not a struct literal.
    public func file(ofField name: String) -> CUEFile? {
        for case .field(let field) in root.declarations {
            guard field.label.staticName == name else { continue }
            guard case .structLiteral(let body) = field.value.kind else { return nil }
            return CUEFile(name: self.name, packageName: packageName, imports: imports, root: body)
        }
        return nil
    }

    /// The top-level fields with a name written in the text (`name:` or `"name":`), in order,
    /// with their positions.
    public var topLevelFields: [(name: String, position: CUEPosition)] {
        root.declarations.compactMap { declaration in
            guard case .field(let field) = declaration, let label = field.label.staticName else { return nil }
            return (label, field.position)
        }
    }
}

extension CUELabel {
    /// The name of an identifier or quoted label; nil for a dynamic one.
    public var staticName: String? {
        switch self {
        case .identifier(let name), .string(let name): return name
        case .dynamic: return nil
        }
    }
}
