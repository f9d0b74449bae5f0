import Testing
import TandemJSON
@testable import TandemCUE

/// Templates in the style of KubeVela's, written for these tests: a component that renders a
/// Deployment and a trait that patches in a sidecar.
struct TemplateTests {
    static let component = #"""
        import "strconv"

        output: {
            apiVersion: "apps/v1"
            kind:       "Deployment"
            metadata: name: context.name
            spec: {
                replicas: parameter.replicas
                selector: matchLabels: app: context.name
                template: {
                    metadata: labels: {
                        app: context.name
                        for k, v in parameter.labels {(k): v}
                    }
                    spec: containers: [{
                        name:  context.name
                        image: parameter.image
                        if parameter.ports != _|_ {
                            ports: [for p in parameter.ports {
                                containerPort: p.port
                                name: *"port-\(strconv.FormatInt(p.port, 10))" | string
                                if p.name != _|_ {name: p.name}
                            }]
                        }
                        if parameter.probe != _|_ {readinessProbe: parameter.probe}
                        env: [for e in _env if e.value != "" {e}]
                    }]
                }
            }
        }
        _env: [{name: "MODE", value: parameter.mode}, {name: "EMPTY", value: ""}]

        parameter: {
            // +usage=Image to run
            image: string & !=""
            // +usage=Number of pods
            replicas: *1 | int & >=0 & <=100
            mode: *"prod" | "dev"
            labels: [string]: string
            ports?: [...{port: int & >0 & <65536, name?: string}]
            probe?: #Probe
        }

        #Probe: {
            httpGet?: {path: string, port: int}
            periodSeconds: *10 | int
        }
        """#

    static let trait = #"""
        patch: {
            // +patchKey=name
            spec: template: spec: containers: [{
                name:  parameter.name
                image: parameter.image
                if parameter.args != _|_ {args: parameter.args}
            }]
        }
        parameter: {
            name:  string
            image: string
            args?: [...string]
        }
        """#

    func render(_ source: String, _ path: [String], parameter: JSONValue) throws -> JSONValue {
        let root = try CUEContext().evaluate(source: source, file: "template.cue",
                                             injecting: [(["parameter"], parameter), (["context"], ["name": "api"])])
        return try #require(root.lookup(path)).export()
    }

    @Test func componentRendersWithDefaultsAndComprehensions() throws {
        let output = try render(Self.component, ["output"], parameter: [
            "image": "nginx", "labels": ["tier": "web"], "ports": [["port": 80], ["port": 443, "name": "tls"]],
            "probe": ["httpGet": ["path": "/", "port": 80]],
        ])
        let expected: JSONValue = [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "api"],
            "spec": [
                "replicas": 1, "selector": ["matchLabels": ["app": "api"]],
                "template": [
                    "metadata": ["labels": ["app": "api", "tier": "web"]],
                    "spec": ["containers": [[
                        "name": "api", "image": "nginx",
                        "ports": [["containerPort": 80, "name": "port-80"], ["containerPort": 443, "name": "tls"]],
                        "readinessProbe": ["httpGet": ["path": "/", "port": 80], "periodSeconds": 10],
                        "env": [["name": "MODE", "value": "prod"]],
                    ]]],
                ],
            ],
        ]
        #expect(output == expected)
    }

    @Test func componentParameterErrorsAreLocated() throws {
        func error(_ parameter: JSONValue) throws -> CUEError? {
            let root = try CUEContext().evaluate(source: Self.component, file: "template.cue",
                                                 injecting: [(["parameter"], parameter), (["context"], ["name": "api"])])
            do {
                _ = try root.lookup(["parameter"])?.export()
                return nil
            } catch {
                return error
            }
        }
        #expect(try error(["image": "nginx", "labels": [:]]) == nil)
        let missing = try error(["labels": [:]])
        #expect(missing?.message == "incomplete value string & !=\"\"")
        #expect(missing?.path == ["parameter", "image"])
        #expect(missing?.position == CUEPosition(file: "template.cue", line: 35, column: 12))
        let empty = try error(["image": "", "labels": [:]])
        #expect(empty?.message == "invalid value \"\" (out of bound !=\"\")")
        #expect(empty?.position == CUEPosition(file: "template.cue", line: 35, column: 21))  // the bound in the template
        #expect(try error(["image": 1, "labels": [:]])?.message == "conflicting values string & !=\"\" and 1 (mismatched types string and int)")
        #expect(try error(["image": "x", "labels": [:], "replicas": 101])?.path == ["parameter", "replicas"])
        #expect(try error(["image": "x", "labels": [:], "mode": "test"])?.message.contains("empty disjunction") == true)
        let closed = try error(["image": "x", "labels": [:], "probe": ["exec": ["command": ["true"]]]])
        #expect(closed?.message == "field not allowed")
        #expect(closed?.path == ["parameter", "probe", "exec"])
        #expect(try error(["image": "x", "labels": ["a": 1]])?.path == ["parameter", "labels", "a"])
    }

    @Test func traitRendersItsPatch() throws {
        let patch = try render(Self.trait, ["patch"], parameter: ["name": "log", "image": "busybox"])
        #expect(patch == ["spec": ["template": ["spec": ["containers": [["name": "log", "image": "busybox"]]]]]])
    }

    @Test func parameterFieldsDescribeTheSchema() throws {
        let root = try CUEContext().evaluate(source: Self.component, file: "template.cue")
        let fields = try #require(root.lookup(["parameter"])).fields
        #expect(fields.map(\.name) == ["image", "replicas", "mode", "labels", "ports", "probe"])
        let image = try #require(fields.first)
        #expect(image.docComments == ["+usage=Image to run"])
        #expect(image.constraint == .regular)
        #expect(image.value.typeDescription == "string & !=\"\"")
        let replicas = fields[1]
        #expect(replicas.value.defaultValue == 1)
        #expect(replicas.value.typeDescription == "*1 | int & >=0 & <=100")
        #expect(fields[4].constraint == .optional)
        #expect(fields[2].value.typeDescription == "*\"prod\" | \"dev\"")
        let ports = try #require(fields[4].value.listElementConstraint)
        #expect(ports.fields.map(\.name) == ["port", "name"])
        #expect(ports.fields[0].value.typeDescription == "int & >0 & <65536")
        #expect(fields[3].value.patternConstraint?.typeDescription == "string")
        #expect(fields[2].value.disjuncts.map(\.isDefault) == [true, false])
        #expect(fields[2].value.disjuncts.map { $0.value.defaultValue } == ["prod", "dev"])
        #expect(root.exists(["parameter", "image"]))
        #expect(!root.exists(["parameter", "ports"]))
        #expect(root.lookup(["parameter", "nope"]) == nil)
    }
}
