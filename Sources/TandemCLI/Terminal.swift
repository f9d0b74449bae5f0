import Foundation

/// What the CLI knows of the terminal it writes to.
enum Terminal {
    /// The width of standard output when it is a terminal (or COLUMNS says one); nil when output
    /// goes to a file or a pipe, where lines are not wrapped.
    static var width: Int? {
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        guard isatty(STDOUT_FILENO) == 1 else { return nil }
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }
}
