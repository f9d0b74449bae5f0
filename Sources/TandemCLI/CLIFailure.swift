import ArgumentParser
import Foundation

/// A failure of the environment (a file that cannot be written, a server out of reach): one
/// sentence on stderr, exit code 2. ArgumentParser prints it with its description.
struct CLIFailure: Error, CustomStringConvertible {
    var description: String
    var exitCode: Int32 = 2

    init(_ description: String, exitCode: Int32 = 2) {
        self.description = description
        self.exitCode = exitCode
    }

    /// A system error in words, without Foundation's error-domain dump.
    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let posix = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        switch nsError.code {
        case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return "no such file or directory"
        case NSFileWriteNoPermissionError, NSFileReadNoPermissionError: return "permission denied"
        case NSFileWriteOutOfSpaceError: return "no space left on device"
        case NSFileWriteVolumeReadOnlyError: return "read-only file system"
        default: return nsError.localizedDescription
        }
    }
}
