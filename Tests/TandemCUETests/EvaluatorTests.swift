import Testing
import TandemJSON
@testable import TandemCUE

struct EvaluatorTests {
    @Test func unificationIsOrderIndependent() throws {
        let value = try export("""
            b: a.x + 1
            a: {x: 1}
            a: {y: 2}
            c: {z: 1} & {w: 2}
            """)
        #expect(value == ["b": 2, "a": ["x": 1, "y": 2], "c": ["z": 1, "w": 2]])
    }

    @Test func conflictsUseCUEWording() throws {
        #expect(try exportError("a: 1\na: 2")?.message == "conflicting values 1 and 2")
        #expect(try exportError("a: int\na: \"x\"")?.message == "conflicting values int and \"x\" (mismatched types int and string)")
        #expect(try exportError("a: >=1 & <=100\na: 0")?.message == "invalid value 0 (out of bound >=1)")
        #expect(try exportError("a: =~\"^a\"\na: \"b\"")?.message == "invalid value \"b\" (out of bound =~\"^a\")")
        #expect(try exportError("a: !=\"\"\na: \"\"")?.message == "invalid value \"\" (out of bound !=\"\")")
        let error = try exportError("x: {\n  a: 1\n}\nx: a: 2", ["x"])
        #expect(error?.path == ["x", "a"])
        #expect(error?.position.file == "test.cue")
    }

    @Test func boundsAndTypes() throws {
        let value = try export("""
            a: int & >=1 & <=100
            a: 50
            b: number & 1.5
            c: string | *"d"
            e: >2 & <5 & int
            e: 3
            """)
        #expect(value == ["a": 50, "b": .double(1.5), "c": "d", "e": 3])
    }

    @Test func incompleteValues() throws {
        let error = try exportError("a: string\nb: a")
        #expect(error?.message == "incomplete value string")
        #expect(error?.kind == .incomplete)
        #expect(error?.path == ["a"])
        #expect(try exportError("a: int\nb: a + 1", ["b"])?.message == "non-concrete value int in operand to +")
    }

    @Test func disjunctionsAndDefaults() throws {
        let value = try export("""
            a: *"In" | "NotIn"
            b: *"In" | "NotIn"
            b: "NotIn"
            c: *1 | int
            d: {kind: "a", x: int} | {kind: "b", y: string}
            d: {kind: "b", y: "s"}
            e: *(*1 | 2) | 3
            f: c + 1
            g: *{p: 1} | {q: 2}
            h: (*1 | 2) & (2 | 3)
            """)
        let expected: JSONValue = [
            "a": "In", "b": "NotIn", "c": 1, "d": ["kind": "b", "y": "s"], "e": 1, "f": 2, "g": ["p": 1], "h": 2,
        ]
        #expect(value == expected)
        #expect(try exportError("a: 1 | 2")?.message == "incomplete value 1 | 2")
        #expect(try exportError("a: 1 | 2\na: 3")?.message.contains("empty disjunction") == true)
    }

    @Test func closedDefinitions() throws {
        #expect(try exportError("#D: {a: int}\nx: #D & {b: 1}")?.message == "field not allowed")
        #expect(try exportError("#D: {a: int}\nx: #D & {b: 1}")?.path == ["x", "b"])
        #expect(try exportError("#D: {a: int, ...}\nx: #D & {a: 1, b: 1}") == nil)
        #expect(try exportError("x: close({a: 1})\nx: b: 2")?.message == "field not allowed")
        #expect(try exportError("#D: {a: {b: int}}\nx: #D & {a: {c: 1}}")?.path == ["x", "a", "c"])
        #expect(try exportError("#D: {[string]: int}\nx: #D & {any: 1}") == nil)
        // Embedding a definition keeps the struct's own fields allowed; its fields come first.
        #expect(try export("#D: {a: int}\nx: {#D, b: 2, a: 1}", ["x"]) == ["a": 1, "b": 2])
        // An embedded value that refers back into the struct sees the struct's fields.
        #expect(try export("a: {b, c: 1}\nb: {d: a.c}", ["a"]) == ["c": 1, "d": 1])
        #expect(try exportError("#D: {a: int}\nx: {#D, b: 2}\nx: c: 1")?.message == "field not allowed")
        // A definition's references see the unified struct.
        #expect(try export("#D: {n: int, m: n + 1}\nx: #D & {n: 1}", ["x"]) == ["n": 1, "m": 2])
        // Disjunctions of closed definitions pick by closedness.
        #expect(try export("#A: {a: int}\n#B: {b: int}\nx: #A | #B\nx: {b: 1}", ["x"]) == ["b": 1])
    }

    @Test func allErrorsAreReportedConflictsFirst() throws {
        let root = try CUEContext().evaluate(source: "a: string\nb: 1 & 2\nc: {d: int, e: \"x\" & \"y\"}")
        let errors = root.errors()
        #expect(errors.map(\.path) == [["b"], ["c", "e"], ["a"], ["c", "d"]])
        #expect(errors.map(\.kind) == [.eval, .eval, .incomplete, .incomplete])
        #expect(root.lookup(["c", "d"])?.errors().map(\.message) == ["incomplete value int"])
    }

    @Test func optionalRequiredHiddenAndDefinitionsAreNotExported() throws {
        let value = try export("""
            a?: int
            b: 1
            _h: 2
            #D: 3
            c: _h + #D
            """)
        #expect(value == ["b": 1, "c": 5])
        #expect(try exportError("a!: int")?.message == "field is required but not present")
        #expect(try export("a!: int\na: 1") == ["a": 1])
    }

    @Test func existenceTests() throws {
        let value = try export("""
            p: {a: 1, o?: int}
            r: {
                hasA: p.a != _|_
                hasB: p.b != _|_
                hasO: p.o != _|_
                noB: p.b == _|_
                idx: p["a"] != _|_
                deep: p.x.y.z != _|_
                err: (1 & 2) == _|_
            }
            """, ["r"])
        #expect(value == ["hasA": true, "hasB": false, "hasO": false, "noB": true, "idx": true, "deep": false, "err": true])
    }

    @Test func comprehensions() throws {
        let value = try export("""
            xs: [1, 2, 3]
            m: {a: 1, b: 2}
            l1: [for x in xs if x > 1 {x}]
            l2: [for i, x in xs for j, y in xs if j < i && x + y == 4 {[i, j]}]
            s: {for k, v in m {"\\(k)x": v * 2}}
            s2: {if len(xs) == 3 {three: true}, if len(xs) == 4 {four: true}}
            l3: [for x in xs let y = x * x {y}]
            n: {for x in xs {"k\\(x)": {v: x}}}
            e: [if false {1}, 2]
            """)
        let expected: JSONValue = [
            "xs": [1, 2, 3], "m": ["a": 1, "b": 2], "l1": [2, 3], "l2": [[2, 0]], "s": ["ax": 2, "bx": 4], "s2": ["three": true],
            "l3": [1, 4, 9], "n": ["k1": ["v": 1], "k2": ["v": 2], "k3": ["v": 3]], "e": [2],
        ]
        #expect(value == expected)
    }

    @Test func comprehensionFieldsKeepTheirPlace() throws {
        #expect(try export("a: 1\nif true {b: 2}\nif false {x: 0}\nc: 3") == ["a": 1, "b": 2, "c": 3])
        #expect(try exportError("s: {if false {x: 0}}\nt: s.x")?.message == "undefined field: x")
        #expect(try export("#D: {a?: int, if true {b: 1}}\nx: #D & {a: 1}", ["x"]) == ["a": 1, "b": 1])
        #expect(try export("s: {if false {x: 0}, y: 1}\nn: len(s)", ["n"]) == 1)
    }

    @Test func listsAndPatterns() throws {
        let value = try export("""
            a: [...{name: string, port: *80 | int}]
            a: [{name: "x"}, {name: "y", port: 8080}]
            b: [1, 2] + [3]
            c: [1, 2, 3][1]
            d: [1, 2, 3, 4][1:3]
            e: [string]: {x: *1 | int}
            e: {p: {}, q: {x: 2}}
            """)
        let expected: JSONValue = [
            "a": [["name": "x", "port": 80], ["name": "y", "port": 8080]], "b": [1, 2, 3], "c": 2, "d": [2, 3],
            "e": ["p": ["x": 1], "q": ["x": 2]],
        ]
        #expect(value == expected)
        #expect(try exportError("a: [1, 2]\na: [1, 2, 3]")?.message == "incompatible list lengths (2 and 3)")
        #expect(try exportError("a: [...int]\na: [1, \"x\"]")?.message == "conflicting values \"x\" and int (mismatched types string and int)")
    }

    @Test func embeddingReducesToScalar() throws {
        #expect(try export("a: {\"x\"}\nb: {let y = 2, y}") == ["a": "x", "b": 2])
        #expect(try exportError("a: {b: 1, \"x\"}")?.message.contains("conflicting values") == true)
        #expect(try export("a: {_h: 1, #d: 2, \"x\" + \"\\(_h)\"}") == ["a": "x1"])
        #expect(try export("a: {_h: 1}") == ["a": [:]])
        #expect(try export("a: or([1, 2])\na: 2\nb: and([int, >0, 3])") == ["a": 2, "b": 3])
        #expect(try exportError("a: or([1, 2])")?.message == "incomplete value 1 | 2")
    }

    @Test func aliases() throws {
        let value = try export("""
            services: [Name=string]: {name: Name, port: *80 | int}
            services: web: {}
            services: db: port: 5432
            L="my-label": "x"
            copy: L
            """)
        let expected: JSONValue = [
            "services": ["web": ["name": "web", "port": 80], "db": ["port": 5432, "name": "db"]], "my-label": "x", "copy": "x",
        ]
        #expect(value == expected)
    }

    @Test func letsAndScoping() throws {
        let value = try export("""
            name: "outer"
            x: {
                name: "inner"
                let n = name + "!"
                a: n
                b: y.c
                y: c: 3
            }
            z: name
            """)
        #expect(value == ["name": "outer", "x": ["name": "inner", "a": "inner!", "b": 3, "y": ["c": 3]], "z": "outer"])
    }

    @Test func arithmeticAndStrings() throws {
        let value = try export("""
            a: 7 / 2
            b: div(7, 2)
            c: mod(-7, 2)
            d: quo(-7, 2)
            e: rem(-7, 2)
            f: "a" + "b"
            g: "ab" * 2
            h: len("héllo")
            i: len([1, 2])
            j: len({a: 1, b?: 2})
            k: 10 - 2.5
            l: "a" < "b"
            m: "x\\(1 + 1)y\\(true)"
            n: "abc" =~ "^a"
            o: mod(-7, -9223372036854775807 - 1)
            """)
        let expected: JSONValue = [
            "a": .double(3.5), "b": 3, "c": 1, "d": -3, "e": -1, "f": "ab", "g": "abab", "h": 6, "i": 2, "j": 1,
            "k": .double(7.5), "l": true, "m": "x2ytrue", "n": true, "o": 9_223_372_036_854_775_801,
        ]
        #expect(value == expected)
    }

    @Test func cyclesEndInErrorsNotHangs() throws {
        #expect(try exportError("a: b\nb: a")?.kind == .incomplete)
        #expect(try export("a: b & 1\nb: a") == ["a": 1, "b": 1])
        #expect(try exportError("x: [x]")?.kind == .structuralCycle)
        #expect(try exportError("x: {y: x}")?.kind == .structuralCycle)
    }

    @Test func injectedValuesUnifyWithTheTemplate() throws {
        let template = """
            parameter: {
                image: string
                replicas: *1 | int & >=0
            }
            output: {
                image: parameter.image
                replicas: parameter.replicas
                name: context.name
            }
            """
        let value = try export(template, ["output"], injecting: [
            (["parameter"], ["image": "nginx"]), (["context"], ["name": "web"]),
        ])
        #expect(value == ["image": "nginx", "replicas": 1, "name": "web"])
        let error = try exportError(template, ["output"], injecting: [
            (["parameter"], ["image": "nginx", "replicas": -1]), (["context"], ["name": "web"]),
        ])
        #expect(error?.message == "2 errors in empty disjunction: conflicting values 1 and -1; invalid value -1 (out of bound >=0)")
        #expect(error?.path == ["output", "replicas"])
    }

    @Test func evaluationsAreFreedWithTheirContext() throws {
        weak var root: Vertex?
        weak var field: Vertex?
        do {
            let value = try CUEContext().evaluate(source: "a: {b: c, c: 1}\nd: [for x in [1, 2] {x}]")
            #expect(try value.export() == ["a": ["b": 1, "c": 1], "d": [1, 2]])
            root = value.vertex
            field = value.lookup(["a", "b"])?.vertex
            #expect(root != nil && field != nil)
        }
        #expect(root == nil)
        #expect(field == nil)
    }
}
