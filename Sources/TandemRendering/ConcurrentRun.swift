import Foundation
import TandemModel
import TandemParsing

/// Works through the documents of many files on several threads, and puts the results back in
/// input order.
///
/// Each file is read by one thread at a time, a few documents per step, so the documents of one
/// large file are rendered while the rest is still being read. Threads prefer rendering what has
/// been read to reading more, so parsed trees never pile up: what is kept per document is its
/// output and diagnostics.
final class ConcurrentRun<Output: Sendable>: @unchecked Sendable {
    private struct FileState {
        var stream: YAMLDocumentStream?
        var reading = false
        var done = false
        /// One slot per step of reading: the problems found reading it, and the document's result.
        var slots: [Slot] = []
        var readProblems = false
    }

    private struct Slot {
        var readDiagnostics: [Diagnostic]
        var result: DocumentResult<Output>?
    }

    private struct Job {
        var file: Int
        var slot: Int
        var document: ParsedDocument
    }

    private let sources: [SourceFile]
    private let limits: InputLimits
    private let process: @Sendable (ParsedDocument) -> DocumentResult<Output>
    /// Guards everything below.
    private let condition = NSCondition()
    private var files: [FileState]
    private var queue: [Job] = []
    private var queueHead = 0
    /// Documents read per step, and rendered per turn.
    private let batch = 8

    init(files: [SourceFile], limits: InputLimits, process: @escaping @Sendable (ParsedDocument) -> DocumentResult<Output>) {
        sources = files
        self.limits = limits
        self.process = process
        self.files = Array(repeating: FileState(), count: files.count)
    }

    func run(jobs: Int) -> PipelineRun<Output> {
        let workers = min(max(1, jobs), max(1, sources.count * 2))
        if workers == 1 {
            work()
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { _ in work() }
        }
        return assemble()
    }

    private func work() {
        condition.lock()
        while true {
            if queueHead < queue.count {
                let end = min(queue.count, queueHead + batch)
                let jobs = Array(queue[queueHead..<end])
                queueHead = end
                if queueHead == queue.count { queue.removeAll(keepingCapacity: true); queueHead = 0 }
                condition.unlock()
                let results = jobs.map { process($0.document) }
                condition.lock()
                for (job, result) in zip(jobs, results) { files[job.file].slots[job.slot].result = result }
                continue
            }
            if let file = files.firstIndex(where: { !$0.done && !$0.reading }) {
                files[file].reading = true
                let stream = files[file].stream
                condition.unlock()
                let (open, steps, ended) = read(file, stream)
                condition.lock()
                files[file].stream = ended ? nil : open
                files[file].reading = false
                files[file].done = ended
                for step in steps {
                    if !step.diagnostics.isEmpty { files[file].readProblems = true }
                    let slot = files[file].slots.count
                    files[file].slots.append(Slot(readDiagnostics: step.diagnostics, result: nil))
                    if let document = step.document { queue.append(Job(file: file, slot: slot, document: document)) }
                }
                condition.broadcast()
                continue
            }
            if files.allSatisfy(\.done) {
                condition.broadcast()
                condition.unlock()
                return
            }
            condition.wait()
        }
    }

    /// Reads a few documents of `file`, opening it first if this is its first step.
    private func read(_ file: Int, _ stream: YAMLDocumentStream?) -> (YAMLDocumentStream, [YAMLDocumentStream.Step], ended: Bool) {
        let stream = stream ?? YAMLDocumentStream(bytes: sources[file].bytes, file: sources[file].name, limits: limits)
        var steps: [YAMLDocumentStream.Step] = []
        while steps.count < batch {
            guard let step = stream.next() else { return (stream, steps, true) }
            steps.append(step)
        }
        return (stream, steps, false)
    }

    /// Everything in input order: outputs, diagnostics, then the checks across documents.
    private func assemble() -> PipelineRun<Output> {
        var report = DiagnosticReport(limit: limits.maxDiagnostics)
        var outputs: [Output] = []
        var ownership = OwnershipCheck()
        var applications = 0
        var components = 0
        for (index, file) in files.enumerated() {
            var found = 0
            // A file's reading problems come first, then each document's: the order they would be
            // found in reading the whole file before checking it, which decides which are kept
            // when there are too many.
            for slot in file.slots {
                for diagnostic in slot.readDiagnostics { report.add(diagnostic) }
            }
            for slot in file.slots {
                guard let result = slot.result else { continue }
                report.add(result.diagnostics)
                if result.isDocument { found += 1 }
                if let application = result.application {
                    applications += 1
                    ownership.add(application, result.objects)
                }
                components += result.componentCount
                if let output = result.output { outputs.append(output) }
            }
            if found == 0, !file.readProblems {
                report.add(Diagnostic(.error, code: .noApplication, "the file holds no Application",
                                      location: SourceLocation(file: sources[index].name, line: 1, column: 1),
                                      hint: "write an apiVersion: core.oam.dev/v1beta1, kind: Application document"))
            }
        }
        for diagnostic in ownership.diagnostics { report.add(diagnostic) }
        return PipelineRun(outputs: report.hasErrors ? [] : outputs, diagnostics: report.sorted, errorCount: report.errorCount,
                           warningCount: report.warningCount, applicationCount: applications, componentCount: components)
    }
}
