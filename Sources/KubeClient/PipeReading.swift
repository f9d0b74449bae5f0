import Foundation
import Glibc

extension FileHandle {
    /// Everything until the end of the file, read with `read(2)` and retried when a signal
    /// interrupts it. Foundation's `readDataToEndOfFile()` traps on EINTR, and a process that
    /// runs children gets SIGCHLD at any time.
    public func readAllRetryingInterrupts() -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fileDescriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                data.append(contentsOf: buffer[0..<count])
            } else if count == 0 || errno != EINTR {
                return data
            }
        }
    }
}
