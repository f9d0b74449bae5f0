import Testing
import TandemJSON
@testable import TandemCUE

struct ParserTests {
    @Test func fieldsCarryPositionsAndDocComments() throws {
        let file = try CUEFile.parse(source: """
            package demo

            import (
            \t"strings"
            \tj "encoding/json"
            )

            parameter: {
            \t// +usage=The image
            \t// +short=i
            \timage: string

            \t// detached comment

            \tport?: int
            \tname!: string @tag(x)
            }
            """, file: "demo.cue")
        #expect(file.packageName == "demo")
        #expect(file.imports.map(\.name) == ["strings", "j"])
        #expect(file.imports.map(\.path) == ["strings", "encoding/json"])
        guard case .field(let parameter) = file.root.declarations[0], case .structLiteral(let body) = parameter.value.kind else {
            Issue.record("expected parameter struct")
            return
        }
        #expect(parameter.position == CUEPosition(file: "demo.cue", line: 8, column: 1))
        guard case .field(let image) = body.declarations[0], case .field(let port) = body.declarations[1],
              case .field(let name) = body.declarations[2] else {
            Issue.record("expected three fields")
            return
        }
        #expect(image.docComments == ["+usage=The image", "+short=i"])
        #expect(image.position.line == 11)
        #expect(port.docComments.isEmpty)
        #expect(port.constraint == .optional)
        #expect(name.constraint == .required)
        #expect(name.attributes == ["@tag(x)"])
    }

    @Test func literals() throws {
        let value = try export(##"""
            a: 1_000
            b: 0x1F
            c: 0o17
            d: 0b101
            e: 1.5e3
            f: 1Ki
            g: 1.5M
            h: "tab\there \u00e9"
            i: #"raw \n \#(a)"#
            j: """
                line one
                  two \(a)
                """
            k: 'bytes'
            l: null
            m: .5
            """##)
        let expected: JSONValue = [
            "a": 1000, "b": 31, "c": 15, "d": 5, "e": .double(1500), "f": 1024, "g": 1_500_000,
            "h": "tab\there é", "i": "raw \\n 1000", "j": "line one\n  two 1000", "k": "Ynl0ZXM=", "l": nil, "m": .double(0.5),
        ]
        #expect(value == expected)
    }

    @Test func chainedLabelsPatternsAndDynamicFields() throws {
        let value = try export("""
            a: b: c: 1
            m: [string]: int
            m: x: 2
            k: "key"
            d: (k): 1
            e: "\\(k)2": 2
            """)
        #expect(value == ["a": ["b": ["c": 1]], "m": ["x": 2], "k": "key", "d": ["key": 1], "e": ["key2": 2]])
    }

    @Test func precedence() throws {
        let value = try export("""
            a: 1 + 2 * 3
            b: (1 + 2) * 3
            c: true || false && false
            d: 1 < 2 == true
            e: -2 + 3
            f: !false
            """)
        #expect(value == ["a": 7, "b": 9, "c": true, "d": true, "e": 1, "f": true])
    }

    @Test func syntaxErrorsAreLocated() {
        #expect(throws: CUESyntaxErrors.self) { try CUEFile.parse(source: "a: {\n  b: 1 +\n}", file: "bad.cue") }
        do {
            _ = try CUEFile.parse(source: "a: 1\nb: {\n  c: ]\n}", file: "bad.cue")
            Issue.record("expected a syntax error")
        } catch {
            #expect(error.description == "bad.cue:3:6: expected operand, found ']'")
        }
        do {
            _ = try CUEFile.parse(source: "a: \"open", file: "bad.cue")
            Issue.record("expected a syntax error")
        } catch {
            #expect(error.description == "bad.cue:1:4: string literal not terminated")
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let source = "a: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        do {
            _ = try CUEFile.parse(source: source, file: "deep.cue")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("nesting too deep"))
        }
        let parens = "a: " + String(repeating: "(", count: 50_000) + "1" + String(repeating: ")", count: 50_000)
        #expect(throws: CUESyntaxErrors.self) { try CUEFile.parse(source: parens, file: "deep.cue") }
        let unary = "a: " + String(repeating: "-", count: 50_000) + "1"
        #expect(throws: CUESyntaxErrors.self) { try CUEFile.parse(source: unary, file: "deep.cue") }
    }
}
