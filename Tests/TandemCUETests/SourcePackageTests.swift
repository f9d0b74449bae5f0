import Testing
import TandemJSON
@testable import TandemCUE

/// Imports of packages written in CUE by the caller (KubeVela's `vela/kube`, ...), beside the
/// built-in ones.
struct SourcePackageTests {
    let tasks = """
        package tasks
        import "strings"
        #Task: {
            #do: "run"
            $params: {name: string, upper: strings.ToUpper(name)}
            $returns?: {done: bool}
            ...
        }
        #Wrapped: other.#Plain & {kind: "wrapped"}
        """
    let other = """
        package other
        import "acme/tasks"
        #Plain: {kind: string, ...}
        #Again: tasks.#Task
        """

    func evaluate(_ source: String, injecting: [(path: [String], value: JSONValue)] = []) throws -> CUEValue {
        let packages = [
            "acme/tasks": [try CUEFile.parse(source: tasks.replacingOccurrences(of: "package tasks", with: "package tasks\nimport \"acme/other\""), file: "tasks.cue")],
            "acme/other": [try CUEFile.parse(source: other, file: "other.cue")],
        ]
        return CUEContext().evaluate([try CUEFile.parse(source: source, file: "step.cue")], packages: packages, injecting: injecting)
    }

    @Test func definitionsOfAnImportedPackageUnifyAndStayClosed() throws {
        let root = try evaluate("""
            import "acme/tasks"
            step: tasks.#Task & {$params: name: "web"}
            """, injecting: [(["step", "$returns"], ["done": true])])
        #expect(try root.lookup(["step"])?.export() == ["$params": ["name": "web", "upper": "WEB"], "$returns": ["done": true]])
        #expect(try root.lookup(["step", "#do"])?.export() == "run")

        let closed = try evaluate("""
            import "acme/tasks"
            step: tasks.#Task & {$params: {name: "web", extra: 1}}
            """)
        let error = closed.lookup(["step"])?.errors().first
        #expect(error?.message == "field not allowed")
        #expect(error?.path == ["step", "$params", "extra"])
    }

    @Test func packagesMayImportEachOther() throws {
        let root = try evaluate("""
            import (
                "acme/tasks"
                o "acme/other"
            )
            a: tasks.#Wrapped & {name: 1}
            b: o.#Again & {$params: name: "x"}
            """)
        #expect(try root.lookup(["a"])?.export() == ["kind": "wrapped", "name": 1])
        #expect(try root.lookup(["b", "$params", "upper"])?.export() == "X")
    }

    @Test func anUnknownImportIsStillAnError() throws {
        let root = try evaluate("""
            import "acme/missing"
            a: missing.#Thing & {x: 1}
            """)
        #expect(root.lookup(["a"])?.errors().isEmpty == false)
    }
}
