import KubeModel
import TandemDefinitions
import TandemModel
import TandemParsing

/// One input file, already read into memory.
public struct SourceFile: Sendable {
    public var name: String
    public var bytes: [UInt8]

    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }

    public init(name: String, text: String) {
        self.init(name: name, bytes: Array(text.utf8))
    }
}

public struct RenderOptions: Sendable {
    public var kubeVersion: KubeVersion
    public var limits: ReadLimits

    public init(kubeVersion: KubeVersion = .newest, limits: ReadLimits = .default) {
        self.kubeVersion = kubeVersion
        self.limits = limits
    }
}

/// What a run of the pipeline produced: the objects (none when any error was found), every
/// diagnostic in file and line order, and the applications that were read.
public struct RenderResult: Sendable {
    public var objects: [KubeObject]
    public var diagnostics: [Diagnostic]
    public var applications: [Application]

    public var hasErrors: Bool { diagnostics.contains { $0.isError } }
    public var errorCount: Int { diagnostics.count { $0.isError } }
    public var warningCount: Int { diagnostics.count { !$0.isError } }
}

/// The pipeline: YAML text → documents → Applications → validated parameters → Kubernetes objects.
public struct RenderPipeline: Sendable {
    public var registry: DefinitionRegistry
    public var options: RenderOptions

    public init(registry: DefinitionRegistry = .builtIn, options: RenderOptions = RenderOptions()) {
        self.registry = registry
        self.options = options
    }

    public func render(_ files: [SourceFile]) -> RenderResult {
        let log = DiagnosticLog()
        let reader = YAMLReader(limits: options.limits)
        var applications: [Application] = []
        var objects: [RenderedObject] = []
        for file in files {
            let (documents, readProblems) = reader.read(file.bytes, file: file.name)
            log.add(contentsOf: readProblems)
            var found = 0
            for root in documents {
                if root.isNull {
                    // An empty document, as between two `---`: nothing to render, but say so.
                    log.add(Diagnostic(.warning, code: "empty-document", "empty document ignored",
                                       location: SourceLocation(file: file.name, position: root.position)))
                    continue
                }
                found += 1
                let document = SourceDocument(file: file.name, root: root)
                guard let application = ApplicationDecoder.decode(document, log: log) else { continue }
                applications.append(application)
                let renderer = ApplicationRenderer(registry: registry, kubeVersion: options.kubeVersion, log: log)
                objects += renderer.render(application)
            }
            if found == 0 && readProblems.isEmpty {
                log.add(Diagnostic(.error, code: "no-application", "the file holds no Application",
                                   location: SourceLocation(file: file.name, line: 1, column: 1),
                                   hint: "write an apiVersion: core.oam.dev/v1beta1, kind: Application document"))
            }
        }
        OwnershipCheck.run(applications: applications, objects: objects, log: log)
        let diagnostics = Diagnostic.sortedByLocation(log.diagnostics)
        let failed = diagnostics.contains { $0.isError }
        return RenderResult(objects: failed ? [] : objects.map(\.object), diagnostics: diagnostics, applications: applications)
    }
}

/// A rendered object and the component (and trait) it came from.
struct RenderedObject {
    var object: KubeObject
    var application: Application
    var component: Application.Component
    /// The index of the trait that made it, or nil for the component's own objects.
    var traitIndex: Int?

    /// "component 'web'" or "the expose trait (traits[1]) of component 'web'", for messages.
    var origin: String {
        guard let traitIndex, component.traits.indices.contains(traitIndex) else { return "component '\(component.name)'" }
        return "the \(component.traits[traitIndex].type) trait (traits[\(traitIndex)]) of component '\(component.name)'"
    }

    /// Where to report a collision: the trait's type, or the component's name.
    var path: FieldPath {
        traitIndex.map { component.path / "traits" / $0 / "type" } ?? component.path / "name"
    }
}
