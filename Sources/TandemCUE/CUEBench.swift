import TandemJSON

/// Timings for `tandem-bench`: parsing many files, and evaluating templates many times.
public enum CUEBench {
    public struct Figures: Sendable {
        public var iterations: Int
        public var total: Duration
        public var perIteration: Duration { total / iterations }
    }

    /// Parses every source `iterations` times; throws the first syntax error.
    public static func parse(_ sources: [(file: String, text: String)], iterations: Int = 1) throws(CUESyntaxErrors) -> Figures {
        let clock = ContinuousClock()
        var failure: CUESyntaxErrors?
        let total = clock.measure {
            for _ in 0..<iterations {
                for source in sources {
                    do throws(CUESyntaxErrors) { _ = try CUEFile.parse(source: source.text, file: source.file) } catch { failure = error }
                }
            }
        }
        if let failure { throw failure }
        return Figures(iterations: iterations, total: total)
    }

    /// Evaluates each template (parsed once) with its injected values and exports the value at
    /// its path, `iterations` times, each in a fresh context; throws the first evaluation error.
    public static func evaluate(_ templates: [(file: CUEFile, injecting: [(path: [String], value: JSONValue)], export: [String])],
                                iterations: Int) throws(CUEError) -> Figures {
        let clock = ContinuousClock()
        var failure: CUEError?
        let total = clock.measure {
            for _ in 0..<iterations {
                for template in templates {
                    let root = CUEContext().evaluate([template.file], injecting: template.injecting)
                    guard let value = root.lookup(template.export) else {
                        failure = CUEError(.incomplete, "nothing at \(template.export.joined(separator: "."))")
                        continue
                    }
                    do throws(CUEError) { _ = try value.export() } catch { failure = error }
                }
            }
        }
        if let failure { throw failure }
        return Figures(iterations: iterations, total: total)
    }
}
