import ArgumentParser
import Foundation
import KubeModel
import TandemModel
import TandemParsing
import TandemRendering

/// Options shared by the commands that read Application files.
struct InputOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Application files or directories of them; - reads standard input.", valueName: "file"))
    var files: [String] = []

    @Option(name: [.short, .customLong("filename")], help: ArgumentHelp("An Application file (like kubectl's -f); may be repeated.", valueName: "file"))
    var extraFiles: [String] = []

    @Option(name: .customLong("kube-version"), help: ArgumentHelp(
        "The Kubernetes version to render for, 1.\(KubeVersion.supported.lowerBound.minor) to \(KubeVersion.newest) (default: \(KubeVersion.newest)).",
        valueName: "1.NN"))
    var kubeVersionText: String?

    @Option(name: .customLong("diagnostics"), help: "How to print problems: text (compiler style) or json.")
    var diagnosticsFormat: DiagnosticsFormat = .text

    @Option(name: .customLong("max-input-bytes"), help: ArgumentHelp("Refuse inputs larger than this many bytes.", valueName: "bytes"))
    var maxInputBytes: Int = ReadLimits.default.maxBytes

    var allFiles: [String] { files + extraFiles }

    var kubeVersion: KubeVersion {
        kubeVersionText.flatMap(KubeVersion.init(parsing:)) ?? .newest
    }

    func validate() throws {
        if allFiles.isEmpty {
            throw ValidationError("name at least one Application file, or - for standard input")
        }
        if allFiles.filter({ $0 == "-" }).count > 1 {
            throw ValidationError("standard input (-) can be read only once")
        }
        if let text = kubeVersionText {
            guard let version = KubeVersion(parsing: text) else {
                throw ValidationError("--kube-version takes a version like 1.29, not '\(text)'")
            }
            guard KubeVersion.supported.contains(version) else {
                throw ValidationError("--kube-version \(version) is not supported; use 1.\(KubeVersion.supported.lowerBound.minor) to \(KubeVersion.newest)")
            }
        }
        if maxInputBytes <= 0 {
            throw ValidationError("--max-input-bytes must be positive")
        }
    }

    var renderOptions: RenderOptions {
        var limits = ReadLimits.default
        limits.maxBytes = maxInputBytes
        return RenderOptions(kubeVersion: kubeVersion, limits: limits)
    }

    /// Reads every named file; files that cannot be read become diagnostics.
    func readSources() -> (files: [SourceFile], problems: [Diagnostic]) {
        var sources: [SourceFile] = []
        var problems: [Diagnostic] = []
        for path in allFiles {
            if path == "-" {
                sources.append(SourceFile(name: "<stdin>", bytes: readBounded(FileHandle.standardInput)))
                continue
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                problems.append(Diagnostic(.error, code: "unreadable-file", "\(path): no such file or directory"))
                continue
            }
            let paths = isDirectory.boolValue ? yamlFiles(in: path) : [path]
            if paths.isEmpty {
                problems.append(Diagnostic(.error, code: "unreadable-file", "\(path): the directory holds no .yaml or .yml files"))
            }
            for file in paths {
                guard let handle = FileHandle(forReadingAtPath: file) else {
                    problems.append(Diagnostic(.error, code: "unreadable-file", "\(file): cannot be read"))
                    continue
                }
                defer { try? handle.close() }
                sources.append(SourceFile(name: file, bytes: readBounded(handle)))
            }
        }
        return (sources, problems)
    }

    /// Reads at most one byte more than the limit: enough for the reader to refuse an oversized
    /// input without holding all of it in memory.
    private func readBounded(_ handle: FileHandle) -> [UInt8] {
        var bytes: [UInt8] = []
        while bytes.count <= maxInputBytes {
            let chunk = (try? handle.read(upToCount: min(1 << 20, maxInputBytes - bytes.count) + 1)) ?? nil
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

    /// Reads and renders the inputs, prints every diagnostic on stderr, and returns the result.
    func run() -> RenderResult {
        let (sources, problems) = readSources()
        var result = RenderPipeline(options: renderOptions).render(sources)
        if !problems.isEmpty {
            result.diagnostics = problems + result.diagnostics
            result.objects = []
        }
        Output.printDiagnostics(result.diagnostics, format: diagnosticsFormat)
        return result
    }
}

enum DiagnosticsFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
