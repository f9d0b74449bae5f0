import TandemCUE
import TandemJSON

// The CUE fuzz target: parse any bytes, evaluate, export, walk every field, and trap when the
// parser or evaluator breaks one of its promises.
//
// Built with libFuzzer by scripts/fuzz-cue.sh (FUZZER defined, -parse-as-library), it exports
// LLVMFuzzerTestOneInput. Built normally, it replays inputs: `tandem-cue-fuzz FILE...`, which
// is how a crash found by the fuzzer is checked once fixed.
//
// Promises checked: no crash or hang (CUELimits bound the work); every syntax and evaluation
// error has a position; `errors()` is empty exactly when `export()` succeeds; a value exports the
// same whether its fields were walked first or not; and the exported JSON, read back as CUE
// (JSON is CUE), evaluates to the same JSON.

/// Runs one input and traps when a promise breaks.
func exercise(_ bytes: [UInt8]) {
    let source = String(decoding: bytes, as: UTF8.self)
    let file: CUEFile
    do {
        file = try CUEFile.parse(source: source, file: "fuzz.cue")
    } catch {
        for syntaxError in error.errors where syntaxError.position.line < 1 {
            fatalError("a syntax error without a line: \(syntaxError)")
        }
        return
    }

    // Export first, then walk the tree.
    let context = CUEContext()
    let root = context.evaluate([file])
    let exported = checkedExport(root)
    var budget = 2_000
    walk(root, depth: 0, budget: &budget)
    // The oracles below evaluate again: only for inputs that are cheap to evaluate, so that the
    // time per input stays bounded by one evaluation within CUELimits (libFuzzer's -timeout).
    guard context.steps <= 50_000 else { return }

    // Walk first (so vertices are evaluated in another order), then export.
    let walkedRoot = CUEContext().evaluate([file])
    budget = 2_000
    walk(walkedRoot, depth: 0, budget: &budget)
    let walkedExport = checkedExport(walkedRoot)

    if let exported, let walkedExport, !sameJSON(exported, walkedExport) {
        fatalError("export depends on evaluation order:\n\(JSONWriter.compact(exported))\n\(JSONWriter.compact(walkedExport))")
    }
    if let exported { checkRoundTrip(exported) }
}

/// Exports `value`, checking that export and `errors()` agree and that every error is located.
/// `nil` when it does not export or when a limit was hit (the result then depends on order).
func checkedExport(_ value: CUEValue) -> JSONValue? {
    let result: Result<JSONValue, CUEError>
    do throws(CUEError) {
        result = .success(try value.export())
    } catch {
        result = .failure(error)
    }
    let errors = value.errors()
    switch result {
    case .success(let json):
        guard errors.isEmpty else { fatalError("export succeeded but errors() lists \(errors)") }
        return json
    case .failure(let error):
        checkLocated(error)
        guard !errors.isEmpty else { fatalError("export failed (\(error)) but errors() is empty") }
        errors.forEach(checkLocated)
        return nil
    }
}

func checkLocated(_ error: CUEError) {
    if error.position == .none { fatalError("an error without a position: \(error)") }
}

/// Visits what a client of the API can reach from `value`, up to `budget` values.
func walk(_ value: CUEValue, depth: Int, budget: inout Int) {
    guard depth < 40, budget > 0 else { return }
    budget -= 1
    if let error = value.error { checkLocated(error) }
    _ = value.typeDescription
    _ = value.isStruct
    _ = value.isList
    _ = value.path
    for field in value.fields {
        _ = value.lookup([field.name])
        walk(field.value, depth: depth + 1, budget: &budget)
    }
    for element in value.elements { walk(element, depth: depth + 1, budget: &budget) }
    for disjunct in value.disjuncts { walk(disjunct.value, depth: depth + 1, budget: &budget) }
    if let constraint = value.listElementConstraint { walk(constraint, depth: depth + 1, budget: &budget) }
    if let constraint = value.patternConstraint { walk(constraint, depth: depth + 1, budget: &budget) }
}

/// JSON is CUE: the exported value, written as JSON and evaluated again, gives the same value.
func checkRoundTrip(_ json: JSONValue) {
    let text = JSONWriter.write(json)
    let again: JSONValue
    do {
        let file = try CUEFile.parse(source: text, file: "exported.json")
        let value = CUEContext().evaluate([file])
        do throws(CUEError) {
            again = try value.export()
        } catch {
            if error.kind == .limit { return }  // the exported tree can be bigger than its source
            fatalError("exported JSON does not evaluate: \(error)\n\(text)")
        }
    } catch {
        if error.errors.contains(where: { $0.message.contains("limit") || $0.message.contains("deep") }) { return }
        fatalError("exported JSON does not parse: \(error)\n\(text)")
    }
    if !sameJSON(json, again) {
        fatalError("exported JSON evaluates to another value:\n\(text)\n\(JSONWriter.compact(again))")
    }
}

/// Equality of JSON values, where an integer equals the double of the same value (JSON does not
/// tell `1` from `1.0` apart once written).
func sameJSON(_ a: JSONValue, _ b: JSONValue) -> Bool {
    switch (a, b) {
    case (.int(let x), .double(let y)), (.double(let y), .int(let x)): return Double(x) == y
    case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy(sameJSON)
    case (.object(let x), .object(let y)):
        let xs = Array(x), ys = Array(y)
        return xs.count == ys.count && zip(xs, ys).allSatisfy { $0.key == $1.key && sameJSON($0.value, $1.value) }
    default: return a == b
    }
}

#if FUZZER
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    exercise(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// SwiftPM links an executable's entry point as `<module>_main`: hand it to libFuzzer's driver.
@_cdecl("tandem_cue_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return runFuzzerDriver(&argc, &argv, fuzzOneInput)
}
#else
import Foundation

@main
struct Replay {
    static func main() {
        var replayed = 0
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                print("tandem-cue-fuzz: cannot read \(path)")
                exit(1)
            }
            exercise(Array(data))
            replayed += 1
        }
        print("tandem-cue-fuzz: \(replayed) input\(replayed == 1 ? "" : "s") ran without a crash")
    }
}
#endif
