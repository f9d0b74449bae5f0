/// A figure the benchmark cannot measure: printed and exit 1, never a figure left out silently.
struct BenchmarkFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
