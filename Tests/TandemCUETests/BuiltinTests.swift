import Testing
import TandemJSON
@testable import TandemCUE

struct BuiltinTests {
    @Test func stringsPackage() throws {
        let value = try export("""
            import "strings"
            a: strings.Join(["a", "b"], "-")
            b: strings.Split("a,b,,c", ",")
            c: strings.SplitN("a,b,c", ",", 2)
            d: strings.Contains("hello", "ell")
            e: strings.HasPrefix("hello", "he") && strings.HasSuffix("hello", "lo")
            f: strings.ToLower("TCP") + strings.ToUpper("x")
            g: strings.Replace("aaa", "a", "b", 2)
            h: strings.TrimSpace("  x \\n")
            i: strings.TrimPrefix("v1.2", "v") + strings.TrimSuffix("a.cue", ".cue")
            j: strings.Index("chicken", "ken")
            k: strings.Repeat("ab", 2)
            """)
        let expected: JSONValue = [
            "a": "a-b", "b": ["a", "b", "", "c"], "c": ["a", "b,c"], "d": true, "e": true, "f": "tcpX", "g": "bba", "h": "x",
            "i": "1.2a", "j": 4, "k": "abab",
        ]
        #expect(value == expected)
    }

    @Test func strconvPackage() throws {
        let value = try export("""
            import "strconv"
            a: strconv.FormatInt(255, 16)
            b: strconv.Atoi("42")
            c: strconv.Itoa(7)
            d: strconv.ParseInt("-0x1f", 0, 64)
            e: strconv.Quote("a\\"b")
            f: strconv.Unquote("\\"x\\\\ny\\"")
            g: strconv.FormatFloat(1.5, "f", -1, 64) + " " + strconv.FormatFloat(2.0, "g", -1, 64)
            """)
        #expect(value == ["a": "ff", "b": 42, "c": "7", "d": -31, "e": "\"a\\\"b\"", "f": "x\ny", "g": "1.5 2"])
        let error = try exportError("import \"strconv\"\na: strconv.Atoi(\"x\")")
        #expect(error?.message == "error in call to strconv.Atoi: strconv.Atoi: parsing \"x\": invalid syntax")
        #expect(error?.position == CUEPosition(file: "test.cue", line: 2, column: 4))
    }

    @Test func listAndMathPackages() throws {
        let value = try export("""
            import ("list", "math")
            a: list.Concat([[1], [2, 3], []])
            b: list.Contains([1, 2], 2)
            c: list.FlattenN([1, [2, [3]]], 1)
            d: list.Range(0, 6, 2)
            e: list.SortStrings(["b", "a"])
            f: list.Take([1, 2, 3], 2) + list.Drop([1, 2, 3], 2)
            g: list.Sum([1, 2, 3])
            h: list.Max([1, 5, 3])
            i: list.UniqueItems([1, 2, 1])
            j: math.Floor(2.7) + math.Abs(-3)
            k: math.Pow(2, 10)
            l: math.Pow(2.0, -2)
            """)
        let expected: JSONValue = [
            "a": [1, 2, 3], "b": true, "c": [1, 2, [3]], "d": [0, 2, 4], "e": ["a", "b"], "f": [1, 2, 3], "g": 6, "h": 5, "i": false,
            "j": 5, "k": 1024, "l": .double(0.25),
        ]
        #expect(value == expected)
        #expect(try exportError("import \"math\"\na: math.Pow(2, 0.5)")?.message == "error in call to math.Pow: math.Pow: only integer exponents are supported")
    }

    @Test func encodingPackages() throws {
        let value = try export("""
            import (
                "encoding/json"
                "encoding/yaml"
                "encoding/base64"
                "regexp"
                "path"
            )
            a: json.Marshal({x: 1, y: ["a", true], z: "<&>"})
            b: json.Unmarshal("{\\"k\\": [1, 2]}")
            c: base64.Encode(null, "hello")
            d: base64.Decode(null, "aGVsbG8=")
            e: yaml.Marshal({name: "x", list: [1, {a: "b"}], "on": "yes"})
            f: yaml.Unmarshal("{\\"a\\": 1}")
            g: regexp.FindSubmatch("([a-z]+)-([0-9]+)", "app-12")
            h: regexp.FindNamedSubmatch("(?P<name>[a-z]+)", "123abc")
            i: regexp.Match("^v[0-9]", "v1")
            j: path.Base("/a/b.cue") + " " + path.Dir("/a/b.cue") + " " + path.Join(["a", "../b", "c"])
            """)
        let expected: JSONValue = [
            "a": "{\"x\":1,\"y\":[\"a\",true],\"z\":\"\\u003c\\u0026\\u003e\"}", "b": ["k": [1, 2]], "c": "aGVsbG8=", "d": "aGVsbG8=",
            "e": "name: x\nlist:\n- 1\n- a: b\n\"on\": \"yes\"\n", "f": ["a": 1], "g": ["app-12", "app", "12"], "h": ["name": "abc"],
            "i": true, "j": "b.cue /a b/c",
        ]
        #expect(value == expected)
    }

    @Test func unknownFunctionsAndPackagesAreErrors() throws {
        #expect(try exportError("import \"strings\"\na: strings.Nope(\"x\")")?.message == "error in call to strings.Nope: undefined: strings.Nope")
        #expect(try exportError("import \"vela/op\"\na: op.#Apply")?.message == "cannot use vela/op.#Apply as a value")
    }
}

struct ListSortTests {
    @Test func sortsWithBuiltinAndCustomComparators() throws {
        let value = try export("""
            import "list"
            a: list.Sort([3, 1, 2], list.Ascending)
            b: list.Sort(["b", "c", "a"], list.Descending)
            c: list.Sort([{n: "x", p: 2}, {n: "y", p: 1}, {n: "z", p: 2}], {x: {}, y: {}, less: x.p < y.p})
            """)
        let expected: JSONValue = [
            "a": [1, 2, 3], "b": ["c", "b", "a"],
            "c": [["n": "y", "p": 1], ["n": "x", "p": 2], ["n": "z", "p": 2]],
        ]
        #expect(value == expected)
        #expect(try exportError("import \"list\"\na: list.Sort([1, \"a\"], list.Ascending)")?.message.contains("invalid operands") == true)
    }
}

struct StructValidatorTests {
    @Test func minAndMaxFields() throws {
        let source = """
            import "struct"
            labels: struct.MaxFields(2) & {[string]: string}
            needs: struct.MinFields(1)
            """
        #expect(try export(source, injecting: [(["labels"], ["a": "1"]), (["needs"], ["x": 1])]) == ["labels": ["a": "1"], "needs": ["x": 1]])
        let tooMany = try exportError(source, injecting: [(["labels"], ["a": "1", "b": "2", "c": "3"]), (["needs"], ["x": 1])])
        #expect(tooMany?.message == "invalid value {...} (does not satisfy struct.MaxFields(2))")
        #expect(tooMany?.path == ["labels"])
        #expect(try exportError(source, injecting: [(["labels"], [:]), (["needs"], [:])])?.message
            == "invalid value {...} (does not satisfy struct.MinFields(1))")
    }
}

struct YAMLUnmarshalTests {
    func read(_ text: String) throws -> JSONValue {
        var reader = YAMLBlockReader(text, maxDepth: 50)
        return try reader.read()
    }

    @Test func blockStyle() throws {
        let value = try read("""
            ---
            # a config map's data
            name: web   # trailing comment
            replicas: 3
            ratio: 0.5
            enabled: true
            nothing: ~
            "quoted key": 'it''s'
            ports:
              - 80
              - name: tls
                port: 443
            nested:
              list: [1, "two"]
              map: {"a": 1}
            script: |
              echo one
              echo two
            folded: >-
              a
              b
            empty:
            """)
        let expected: JSONValue = [
            "name": "web", "replicas": 3, "ratio": .double(0.5), "enabled": true, "nothing": nil, "quoted key": "it's",
            "ports": [80, ["name": "tls", "port": 443]], "nested": ["list": [1, "two"], "map": ["a": 1]],
            "script": "echo one\necho two\n", "folded": "a b", "empty": nil,
        ]
        #expect(value == expected)
        #expect(try read("- a\n- - b\n  - c\n") == ["a", ["b", "c"]])
        #expect(try read("key:\n- x\n- y\n") == ["key": ["x", "y"]])
        #expect(throws: YAMLBlockReader.Failure.self) { try read("a: 1\na: 2") }
        #expect(throws: YAMLBlockReader.Failure.self) { try read("a: 1\n  b: 2") }
    }

    @Test func unmarshalInCUE() throws {
        let value = try export("import \"encoding/yaml\"\nv: yaml.Unmarshal(\"a: 1\\nb:\\n  - x\\n\")")
        #expect(value == ["v": ["a": 1, "b": ["x"]]])
    }
}

extension YAMLUnmarshalTests {
    /// Mutated documents give a value or an error, never a crash.
    @Test func mutatedInputNeverCrashes() {
        let sample = Array("a: 1\nb:\n  - x: |\n      t\n    y: 'q''r'\n  - [1, {\"k\": 2}]\nc: >\n  f\n\"d\": ~\n".utf8)
        let alphabet = Array(" -:|>'\"\n#{}[],x1".utf8)
        var state: UInt64 = 42
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        for _ in 0..<3_000 {
            var bytes = sample
            for _ in 0..<(1 + next() % 3) {
                let position = next() % bytes.count
                if next() % 2 == 0 { bytes[position] = alphabet[next() % alphabet.count] } else { bytes.remove(at: position) }
            }
            var reader = YAMLBlockReader(String(decoding: bytes, as: UTF8.self), maxDepth: 50)
            _ = try? reader.read()
        }
    }
}
