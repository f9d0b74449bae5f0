import TandemJSON
import TandemModel
import TandemRendering

// The fuzz target: the whole pipeline, from bytes to rendered YAML and JSON, on any input.
//
// Built with libFuzzer by scripts/fuzz.sh (FUZZER defined, -parse-as-library), it exports
// LLVMFuzzerTestOneInput. Built normally, it replays inputs: `tandem-fuzz FILE...`, which is
// how a crash found by the fuzzer is checked once fixed.

/// Runs one input and traps when the pipeline breaks one of its promises.
func exercise(_ bytes: [UInt8]) {
    let result = RenderPipeline().render([SourceFile(name: "fuzz.yaml", bytes: bytes)])
    if result.hasErrors {
        guard result.objects.isEmpty else { fatalError("objects rendered despite errors") }
        for diagnostic in result.diagnostics where diagnostic.isError && diagnostic.location == nil {
            fatalError("an error without a location: \(diagnostic)")
        }
    } else {
        _ = YAMLWriter.documents(result.objects.map(\.json))
        _ = JSONWriter.write(.array(result.objects.map(\.json)))
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
@_cdecl("tandem_fuzz_main")
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
                print("tandem-fuzz: cannot read \(path)")
                exit(1)
            }
            exercise(Array(data))
            replayed += 1
        }
        print("tandem-fuzz: \(replayed) input\(replayed == 1 ? "" : "s") ran without a crash")
    }
}
#endif
