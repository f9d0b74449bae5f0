import Foundation
import TandemJSON
import TandemModel
import TandemRendering

/// Where the CLI's text goes: products on stdout, diagnostics on stderr. Writes go straight to
/// the file descriptors and every failure is handled: a reader that went away (`| head`) ends the
/// process quietly; a full disk or a closed stream is one line on stderr and exit code 2.
enum Output {
    /// Standard output was closed when the process started (`tandem render app.yaml >&-`).
    nonisolated(unsafe) private static var outputClosed = false

    /// A standard stream closed at start would be taken by the next file opened, and output
    /// written there: such a stream is held on /dev/null, and writing output fails as it should.
    static func guardStandardStreams() {
        for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(descriptor, F_GETFD) == -1 {
            if descriptor == STDOUT_FILENO { outputClosed = true }
            let null = open("/dev/null", descriptor == STDIN_FILENO ? O_RDONLY : O_WRONLY)
            if null >= 0, null != descriptor {
                dup2(null, descriptor)
                close(null)
            }
        }
    }

    static func standardOutput(_ text: String) {
        write(text, to: STDOUT_FILENO)
    }

    /// Writes many pieces of UTF-8 as one stream, without joining them first.
    static func standardOutput(_ pieces: some Sequence<[UInt8]>) {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 16)
        for piece in pieces {
            if buffer.count + piece.count > 1 << 16, !buffer.isEmpty {
                write(buffer, to: STDOUT_FILENO)
                buffer.removeAll(keepingCapacity: true)
            }
            if piece.count >= 1 << 16 { write(piece, to: STDOUT_FILENO) } else { buffer.append(contentsOf: piece) }
        }
        if !buffer.isEmpty { write(buffer, to: STDOUT_FILENO) }
    }

    static func standardError(_ text: String) {
        write(text, to: STDERR_FILENO)
    }

    private static func write(_ text: String, to descriptor: Int32) {
        write(Array(text.utf8), to: descriptor)
    }

    private static func write(_ bytes: [UInt8], to descriptor: Int32) {
        if descriptor == STDOUT_FILENO, outputClosed, !bytes.isEmpty {
            write(Array("tandem: cannot write to standard output: \(String(cString: strerror(EBADF)))\n".utf8), to: STDERR_FILENO)
            exit(2)
        }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written >= 0 {
                offset += written
                continue
            }
            let error = errno
            if error == EINTR || error == EAGAIN { continue }
            if error == EPIPE { exit(141) }  // the reader is gone: stop, as `yes | head -1` does, without a word
            if descriptor == STDERR_FILENO { exit(2) }  // nowhere left to say it
            let reason = String(cString: strerror(error))
            write(Array("tandem: cannot write to standard output: \(reason)\n".utf8), to: STDERR_FILENO)
            exit(2)
        }
    }

    static func printDiagnostics(_ diagnostics: [Diagnostic], format: DiagnosticsFormat) {
        let diagnostics = diagnostics.map(DiagnosticAdvice.advised)
        switch format {
        case .text:
            guard !diagnostics.isEmpty else { return }
            standardError(diagnostics.map(\.description).joined(separator: "\n") + "\n")
        case .json:
            standardError(JSONWriter.write(.array(diagnostics.map(json)), indentWidth: 2))
        }
    }

    static func json(_ diagnostic: Diagnostic) -> JSONValue {
        var object = JSONObject()
        let located = diagnostic.location?.hasPosition == true
        object.append("file", diagnostic.location.map { .string($0.file) } ?? .null)
        object.append("line", located ? .int(diagnostic.location?.line ?? 0) : .null)
        object.append("column", located ? .int(diagnostic.location?.column ?? 0) : .null)
        object.append("severity", .string(diagnostic.severity.rawValue))
        object.append("code", .string(diagnostic.code.rawValue))
        object.append("path", diagnostic.path.map { .string($0.description) } ?? .null)
        object.append("message", .string(diagnostic.message))
        object.append("hint", diagnostic.hint.map(JSONValue.string) ?? .null)
        return .object(object)
    }

    /// "2 errors, 1 warning"
    static func count(_ errors: Int, _ warnings: Int) -> String {
        func plural(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
        return plural(errors, "error") + ", " + plural(warnings, "warning")
    }
}
