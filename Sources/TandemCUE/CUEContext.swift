import TandemJSON

/// Evaluates CUE files unified together, with JSON values injected at given paths (the way
/// KubeVela fills in `parameter` and `context`). One context serves one evaluation; it is not
/// thread-safe, use one per task.
public final class CUEContext {
    let evaluator: Evaluator

    public init(limits: CUELimits = .default) {
        evaluator = Evaluator(limits: limits)
    }

    /// Steps spent so far (bounded by `CUELimits.maxSteps`).
    public var steps: Int { evaluator.steps }

    /// Identifiers the evaluation so far met that resolved to nothing.
    public var unresolvedIdentifiers: Int { evaluator.unresolvedIdentifiers }

    /// The unification of `files` (as one package) and of each injected value placed at its path.
    /// An import whose path is a key of `packages` names those CUE files (one package, written by
    /// the caller: KubeVela's `vela/kube`, ...); other imports are the built-in packages.
    /// Each `replaced` top-level field takes its value whole from JSON: the files' own
    /// declarations of it are left out (a value settled by an earlier evaluation of the same
    /// files, which need not be evaluated again).
    public func evaluate(_ files: [CUEFile], packages: [String: [CUEFile]] = [:],
                         injecting injected: [(path: [String], value: JSONValue)] = [],
                         replacing replaced: [(name: String, value: JSONValue)] = []) -> CUEValue {
        let root = Vertex(parent: nil, label: .root, arena: evaluator.arena)
        // One evaluation per context: a later one's root replaces nothing of this one's.
        evaluator.replacedRoot = replaced.isEmpty ? nil : ObjectIdentifier(root)
        evaluator.replacedFields = Set(replaced.map(\.name))
        var packageRoots: [String: Vertex] = [:]
        _ = packageRoot(files, packages: packages, roots: &packageRoots, into: root)
        for (path, value) in injected + replaced.map({ ([$0.name], $0.value) }) {
            var wrapped = value
            for key in path.reversed() { wrapped = .object(JSONObject([JSONObject.Member(key: key, value: wrapped)])) }
            root.conjuncts.append(Conjunct(source: .json(wrapped), environment: nil, group: nil,
                                           position: CUEPosition(file: path.joined(separator: "."), line: 0, column: 0)))
        }
        return CUEValue(vertex: root, context: self)
    }

    /// Parses and evaluates CUE source in one step.
    public func evaluate(source: String, file: String = "input.cue",
                         injecting injected: [(path: [String], value: JSONValue)] = []) throws(CUESyntaxErrors) -> CUEValue {
        let parsed = try CUEFile.parse(source: source, file: file, limits: evaluator.limits)
        return evaluate([parsed], injecting: injected)
    }

    /// The root of a package made of `files`, their imports bound to the packages in `packages`
    /// (each made once, in `roots`: packages that import each other share their roots).
    private func packageRoot(_ files: [CUEFile], packages: [String: [CUEFile]], roots: inout [String: Vertex],
                             into existing: Vertex? = nil) -> Vertex {
        let root = existing ?? Vertex(parent: nil, label: .root, arena: evaluator.arena)
        root.presence = .regular
        let packageScope = Environment(parent: nil, vertex: root, structure: nil)
        for file in files {
            var bindings: [String: Environment.Binding] = [:]
            for item in file.imports {
                if let made = roots[item.path] {
                    bindings[item.name] = .vertex(made)
                } else if let sources = packages[item.path] {
                    let imported = Vertex(parent: nil, label: .root, arena: evaluator.arena)
                    roots[item.path] = imported  // registered before its files, which may import it back
                    bindings[item.name] = .vertex(packageRoot(sources, packages: packages, roots: &roots, into: imported))
                } else {
                    bindings[item.name] = .package(item.path)
                }
            }
            let imports = Environment(parent: packageScope, vertex: nil, structure: nil, bindings: bindings)
            root.conjuncts.append(Conjunct(source: .structure(file.root), environment: imports, group: nil, position: file.root.position))
        }
        return root
    }
}
