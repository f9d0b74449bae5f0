import Foundation

extension posix_spawn_file_actions_t {
    /// Closes, in the child, every descriptor above standard error. Descriptors our own parent
    /// left open without close-on-exec (a test runner's pipes, a terminal multiplexer's sockets)
    /// would otherwise reach the supervisor, which outlives us and would hold them open for good.
    /// glibc 2.34 has `posix_spawn_file_actions_addclosefrom_np`, which Swift's Glibc module does
    /// not import; on an older C library this does nothing.
    mutating func closeInheritedDescriptors() {
        typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return }
        let addCloseFrom = unsafeBitCast(symbol, to: AddCloseFrom.self)
        _ = addCloseFrom(&self, 3)
    }
}
