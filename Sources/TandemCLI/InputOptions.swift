import ArgumentParser
import Foundation
import KubeModel
import TandemJSON
import TandemKubeVela
import TandemModel
import TandemParsing
import TandemRendering

extension KubeVersion: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(parsing: argument)
    }

    public static var defaultValueDescription: String { newest.description }
}

/// Options shared by the commands that read Application files.
struct InputOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Application files or directories of them; - reads standard input.", valueName: "file"))
    var files: [String] = []

    @Option(name: [.customShort("f"), .customLong("filename")],
            help: ArgumentHelp("An Application file (like kubectl's -f); may be repeated.", valueName: "file"))
    var extraFiles: [String] = []

    @Option(name: .customLong("kube-version"), help: ArgumentHelp(
        "The Kubernetes version to render for, 1.\(KubeVersion.supported.lowerBound.minor) or later (default: \(KubeVersion.newest)).",
        valueName: "1.NN"))
    var kubeVersion: KubeVersion = .newest

    @Option(name: .customLong("diagnostics"), help: "How to print problems: text (compiler style) or json.")
    var diagnosticsFormat: DiagnosticsFormat = .text

    @Option(name: .customLong("max-input-bytes"), help: ArgumentHelp("Refuse inputs larger than this many bytes.", valueName: "bytes"))
    var maxInputBytes: Int = InputLimits.default.maxBytes

    @Option(name: [.short, .long], help: ArgumentHelp("The namespace of Applications that name none (as kubectl's and vela's -n).", valueName: "namespace"))
    var namespace: String?

    @Option(name: [.short, .long], help: ArgumentHelp("Documents to work on at once (default: one per core).", valueName: "n"))
    var jobs: Int = RenderOptions.defaultJobs

    @OptionGroup var definitions: DefinitionOptions

    var allFiles: [String] { files + extraFiles }

    func validate() throws {
        if allFiles.isEmpty {
            throw ValidationError("name at least one Application file, or - for standard input")
        }
        if allFiles.filter({ $0 == "-" }).count > 1 {
            throw ValidationError("standard input (-) can be read only once")
        }
        guard KubeVersion.target(for: kubeVersion) != nil else {
            throw ValidationError("--kube-version \(kubeVersion) is not supported; use 1.\(KubeVersion.supported.lowerBound.minor) or later")
        }
        if maxInputBytes <= 0 {
            throw ValidationError("--max-input-bytes must be positive")
        }
        if jobs <= 0 {
            throw ValidationError("--jobs must be positive")
        }
        if let namespace, let problem = StringFormat.dns1123Label.violation(in: namespace) {
            throw ValidationError("--namespace '\(namespace)' is not a valid namespace name: \(problem)")
        }
    }

    var renderOptions: RenderOptions {
        var limits = InputLimits.default
        limits.maxBytes = maxInputBytes
        let target = KubeVersion.target(for: kubeVersion)?.version ?? .newest
        return RenderOptions(kubeVersion: target, limits: limits, jobs: jobs, namespace: namespace)
    }

    /// The named files; those that cannot be read become diagnostics. Files are read when the
    /// pipeline reaches them, so that a large directory is not all in memory at once.
    func sources() -> (files: [SourceFile], problems: [Diagnostic]) {
        var sources: [SourceFile] = []
        var problems: [Diagnostic] = []
        let limit = maxInputBytes
        for path in allFiles {
            if path == "-" {
                sources.append(SourceFile(name: "<stdin>", bytes: Self.readBounded(FileHandle.standardInput, limit: limit)))
                continue
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                problems.append(Diagnostic(.error, code: .unreadableFile, "no such file or directory",
                                           location: SourceLocation(file: path)))
                continue
            }
            let paths = isDirectory.boolValue ? yamlFiles(in: path) : [path]
            if paths.isEmpty {
                problems.append(Diagnostic(.error, code: .unreadableFile, "the directory holds no .yaml or .yml files",
                                           location: SourceLocation(file: path)))
            }
            for file in paths {
                guard FileManager.default.isReadableFile(atPath: file) else {
                    problems.append(Diagnostic(.error, code: .unreadableFile, "cannot be read (permission denied)",
                                               location: SourceLocation(file: file)))
                    continue
                }
                sources.append(SourceFile(name: file) {
                    guard let handle = FileHandle(forReadingAtPath: file) else { return [] }
                    defer { try? handle.close() }
                    return Self.readBounded(handle, limit: limit)
                })
            }
        }
        return (sources, problems)
    }

    /// Reads at most one byte more than the limit: enough for the reader to refuse an oversized
    /// input without holding all of it in memory.
    private static func readBounded(_ handle: FileHandle, limit: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        while bytes.count <= limit {
            let chunk = (try? handle.read(upToCount: min(1 << 20, limit - bytes.count) + 1)) ?? nil
            guard let chunk, !chunk.isEmpty else { break }
            bytes.append(contentsOf: chunk)
        }
        return bytes
    }

    private func yamlFiles(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { base + $0 }
    }

    /// Reads and renders the inputs, keeping what `produce` makes of each application, and prints
    /// every diagnostic on stderr. `clusterDefinitions` are those read from the cluster.
    func run<Product: Sendable>(clusterDefinitions: DefinitionLoader.Loaded = ([], []),
                                produce: @escaping @Sendable (RenderedApplication) -> Product) -> PipelineRun<Product> {
        if let note = KubeVersion.target(for: kubeVersion)?.note { Output.standardError("tandem: note: \(note)\n") }
        let (registry, definitionProblems) = definitions.load(cluster: clusterDefinitions)
        var (sources, problems) = sources()
        problems = definitionProblems + problems
        if definitionProblems.contains(where: { $0.severity == .error }) { sources = [] }  // nothing renders without its definitions
        var result = RenderPipeline(registry: registry, options: renderOptions).run(sources, produce: produce)
        if !problems.isEmpty {
            result.diagnostics = problems + result.diagnostics
            result.errorCount += problems.filter { $0.severity == .error }.count
            result.warningCount += problems.filter { $0.severity == .warning }.count
            result.outputs = []
        }
        Output.printDiagnostics(result.diagnostics, format: diagnosticsFormat)
        return result
    }

    /// What the input files' Applications name, read ahead for `up` and `diff` to fetch the
    /// cluster's definitions with: their namespaces (`fallback` for those naming none) and the
    /// types they use (nil when standard input is among the inputs: it can be read only once).
    func applicationsAhead(fallback: String) -> (namespaces: [String], types: Set<String>?) {
        var namespaces: [String] = []
        var types: Set<String> = []
        var unnamed = allFiles.contains("-")
        let files = allFiles.filter { $0 != "-" }.flatMap { path -> [String] in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue ? yamlFiles(in: path) : [path]
        }
        for file in files {
            guard let data = FileManager.default.contents(atPath: file), data.count <= maxInputBytes else { continue }
            for document in YAMLReader().read(Array(data), file: file).documents where document.json["kind"]?.string == "Application" {
                if let namespace = document.json[path: ["metadata", "namespace"]]?.string {
                    if !namespaces.contains(namespace) { namespaces.append(namespace) }
                } else {
                    unnamed = true
                }
                let spec = document.json["spec"]
                let components = spec?["components"]?.array ?? []
                for entry in components + components.flatMap({ $0["traits"]?.array ?? [] }) + (spec?["policies"]?.array ?? [])
                    + (spec?[path: ["workflow", "steps"]]?.array ?? []) {
                    if let type = entry["type"]?.string { types.insert(type) }
                }
            }
        }
        if unnamed || namespaces.isEmpty, !namespaces.contains(fallback) { namespaces.append(fallback) }
        return (namespaces, allFiles.contains("-") ? nil : types)
    }
}

enum DiagnosticsFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
