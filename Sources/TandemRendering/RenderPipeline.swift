import Foundation
import KubeModel
import TandemDefinitions
import TandemJSON
import TandemModel
import TandemParsing

/// One input file. Its bytes are read when the pipeline reaches it and released once parsed, so
/// that a directory of large files is never all in memory at once.
public struct SourceFile: Sendable {
    public var name: String
    private let load: @Sendable () -> [UInt8]

    public init(name: String, bytes: [UInt8]) {
        self.name = name
        load = { bytes }
    }

    public init(name: String, text: String) {
        self.init(name: name, bytes: Array(text.utf8))
    }

    /// A file whose bytes `loader` reads when they are needed.
    public init(name: String, loader: @escaping @Sendable () -> [UInt8]) {
        self.name = name
        load = loader
    }

    public var bytes: [UInt8] { load() }
}

public struct RenderOptions: Sendable {
    public var kubeVersion: KubeVersion
    public var limits: InputLimits
    /// How many documents are worked on at once; by default one per core.
    public var jobs: Int
    /// The namespace of Applications that name none (`-n`); one that names another is an error.
    public var namespace: String?
    /// The number of the Application revision being rendered (`context.appRevisionNum`): a
    /// deploy that keeps revisions says which; 1 otherwise.
    public var appRevisionNumber: Int

    public init(kubeVersion: KubeVersion = .newest, limits: InputLimits = .default, jobs: Int = RenderOptions.defaultJobs,
                namespace: String? = nil, appRevisionNumber: Int = 1) {
        self.appRevisionNumber = appRevisionNumber
        self.kubeVersion = kubeVersion
        self.limits = limits
        self.jobs = jobs
        self.namespace = namespace
    }

    public static var defaultJobs: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}

/// What a run of the pipeline produced: an output per Application, in input order (none at all
/// when any error was found), every diagnostic by file and line, and counts.
public struct PipelineRun<Output: Sendable>: Sendable {
    public var outputs: [Output]
    public var diagnostics: [Diagnostic]
    public var errorCount: Int
    public var warningCount: Int
    /// Applications and components read (whether valid or not).
    public var applicationCount: Int
    public var componentCount: Int

    public var hasErrors: Bool { errorCount > 0 }
}

/// A run that keeps each rendered application: what deploys, the local runtime and tests use.
public typealias RenderResult = PipelineRun<RenderedApplication>

extension PipelineRun where Output == RenderedApplication {
    /// Every rendered object, applications in input order.
    public var objects: [KubeObject] { outputs.flatMap { $0.objects.map(\.object) } }
}

/// The pipeline, stage by stage:
///
/// 1. read: a file's bytes → documents (JSON with a source map) — `YAMLDocumentStream`;
/// 2. decode: a document → the Application's envelope — `ApplicationDecoder`;
/// 3. validate: the envelope → an `Application` with validated, defaulted parameters —
///    `ApplicationValidator`;
/// 4. render: the Application → a `RenderedApplication`, every object with its origin —
///    `ApplicationRenderer`;
/// 5. check: no two applications or objects collide — `OwnershipCheck`.
///
/// Documents are independent, so files, and the documents of a large file, are worked on
/// concurrently; outputs and diagnostics come out in input order whatever the timing.
public struct RenderPipeline: Sendable {
    public var registry: DefinitionRegistry
    public var options: RenderOptions

    public init(registry: DefinitionRegistry = .builtIn, options: RenderOptions = RenderOptions()) {
        self.registry = registry
        self.options = options
    }

    /// Renders `files`, keeping each rendered application.
    public func render(_ files: [SourceFile]) -> RenderResult {
        run(files) { $0 }
    }

    /// Renders `files`, keeping what `produce` makes of each rendered application (its YAML, for
    /// the command line) rather than the objects themselves.
    public func run<Output: Sendable>(
        _ files: [SourceFile], produce: @escaping @Sendable (RenderedApplication) -> Output
    ) -> PipelineRun<Output> {
        let work = ConcurrentRun(files: files, limits: options.limits) { document in
            process(document.json, source: document.source, produce: produce)
        }
        return work.run(jobs: options.jobs)
    }

    /// Validates and renders one Application given as JSON — as the API server returns it, with
    /// its server fields — whose diagnostics carry paths and no lines (lines too, with the
    /// `source` of a document read from a file).
    public func render(json: JSONValue, source: SourceMap? = nil) -> (application: RenderedApplication?, diagnostics: [Diagnostic]) {
        let result = process(json, source: source) { $0 }
        var report = DiagnosticReport(limit: options.limits.maxDiagnostics)
        report.add(result.diagnostics)
        var ownership = OwnershipCheck()
        if let application = result.application { ownership.add(application, result.objects) }
        for diagnostic in ownership.diagnostics { report.add(diagnostic) }
        return (report.hasErrors ? nil : result.output, report.sorted)
    }

    /// Stages 2 to 4 for one document.
    func process<Output>(
        _ json: JSONValue, source: SourceMap?, produce: (RenderedApplication) -> Output
    ) -> DocumentResult<Output> {
        let log = DiagnosticLog(limit: options.limits.maxDiagnostics)
        var result = DocumentResult<Output>()
        if json == .null {
            // An empty document, as between two `---`: nothing to render, but say so.
            log.add(Diagnostic(.warning, code: .emptyDocument, "empty document ignored",
                               location: source.map { SourceLocation(file: $0.file, position: $0.position(of: .root)) }))
            result.diagnostics = log.batch
            return result
        }
        result.isDocument = true
        guard var envelope = ApplicationDecoder.decode(json, source: source, log: log, limits: options.limits) else {
            result.diagnostics = log.batch
            return result
        }
        if let namespace = options.namespace {
            if envelope.namespace == nil {
                envelope.namespace = namespace
            } else if envelope.namespace != namespace {
                DiagnosticScope(log: log, source: source).error(
                    "the Application's namespace '\(envelope.namespace ?? "")' differs from the namespace asked for (\(namespace))",
                    at: ["metadata", "namespace"], code: .namespaceMismatch,
                    hint: "leave out -n, or remove metadata.namespace to use the one given")
                envelope.isValid = false
            }
        }
        result.componentCount = envelope.components.count
        let (application, isComplete) = ApplicationValidator(registry: registry, limits: options.limits).validate(envelope, log: log)
        let rendered = ApplicationRenderer(registry: registry, kubeVersion: options.kubeVersion, limits: options.limits,
                                           appRevisionNumber: options.appRevisionNumber)
            .render(application, log: log)
        // An envelope with errors may list its components wrongly (twice under one name): its
        // objects are not compared with others.
        (result.application, result.objects) = OwnershipCheck.records(of: rendered, registry: registry)
        if !envelope.isValid { result.objects = [] }
        if isComplete, !log.hasErrors { result.output = produce(rendered) }
        result.diagnostics = log.batch
        return result
    }
}

/// What the pipeline made of one document.
struct DocumentResult<Output> {
    var diagnostics = DiagnosticBatch()
    /// Whether the document held anything (an empty one is only warned about).
    var isDocument = false
    var componentCount = 0
    var output: Output?
    var application: OwnershipCheck.ApplicationRecord?
    var objects: [OwnershipCheck.ObjectRecord] = []
}

extension DocumentResult: Sendable where Output: Sendable {}
