import Foundation
import TandemKubeVela
import TandemModel
import TandemTestSupport
import Testing

/// KubeVela definitions load in both forms, parsed once, and a broken one is an error located
/// in its own file.
struct DefinitionLoaderTests {
    static let examples = PackagePaths.root.appendingPathComponent("examples/definitions").path

    @Test func velaDefFilesLoadWithTheirKindDescriptionAndAttributes() throws {
        let (definitions, problems) = DefinitionLoader().load(paths: [Self.examples])
        #expect(problems.isEmpty, "\(problems)")
        #expect(definitions.map(\.name) == ["log-shipper", "microservice", "wait-ready-and-annotate"])
        #expect(definitions.map(\.kind) == [.trait, .component, .workflowStep])
        let trait = try #require(definitions.first)
        #expect(trait.description.hasPrefix("Ships the logs"))
        #expect(trait.attributes["appliesToWorkloads"]?.strings == ["deployments.apps", "statefulsets.apps", "daemonsets.apps"])
    }

    static let objectForm = """
        apiVersion: core.oam.dev/v1beta1
        kind: TraitDefinition
        metadata:
          name: team-label
          annotations:
            definition.oam.dev/description: Labels the workload with its team.
        spec:
          appliesToWorkloads: ["*"]
          schematic:
            cue:
              template: |
                patch: metadata: labels: team: parameter.team
                parameter: team: string &
                  =~"^[a-z]+$" &&
        """

    @Test func kubernetesObjectsLoadAndTheirTemplateErrorsPointIntoTheYAML() throws {
        let good = Self.objectForm.components(separatedBy: " &\n").first ?? ""
        let (definitions, problems) = DefinitionLoader().load(bytes: Array(good.utf8), file: "team.yaml")
        #expect(problems.isEmpty, "\(problems)")
        let definition = try #require(definitions.first)
        #expect(definition.name == "team-label" && definition.kind == .trait)
        #expect(definition.description == "Labels the workload with its team.")
        #expect(definition.attributes["appliesToWorkloads"]?.strings == ["*"])

        // `&&` wants an operand: the error is on line 14 of the YAML file, where the template says it.
        let broken = DefinitionLoader().load(bytes: Array(Self.objectForm.utf8), file: "team.yaml")
        #expect(broken.definitions.isEmpty)
        let problem = try #require(broken.problems.first)
        #expect(problem.location?.file == "team.yaml")
        #expect(problem.location?.line == 14, "\(problem)")
        #expect(problem.location?.column ?? 0 > 8, "\(problem)")
    }

    @Test func aBrokenVelaDefFileIsLocatedInItself() throws {
        let text = "broken: {\n\ttype: \"trait\"\n}\ntemplate: {\n\tpatch: {\n\t\tx: parameter.\n\t}\n}\n"
        let (definitions, problems) = DefinitionLoader().load(bytes: Array(text.utf8), file: "broken.cue")
        #expect(definitions.isEmpty)
        let problem = try #require(problems.first)
        #expect(problem.location?.file == "broken.cue")
        #expect(problem.location?.line == 7, "\(problem)")

        let untyped = "odd: {type: \"gadget\"}\ntemplate: {}\n"
        let second = DefinitionLoader().load(bytes: Array(untyped.utf8), file: "odd.cue").problems
        #expect(second.map(\.message) == ["type must be component, trait, policy or workflow-step"])
        #expect(second.first?.location?.line == 1)
    }

    /// A vela def file with Windows line endings keeps its template's text (lines are split at
    /// the newline byte, where splitting by character kept "\r\n" as one).
    @Test func aVelaDefFileWithWindowsLineEndingsKeepsItsTemplateText() throws {
        let text = "side: {type: \"trait\"}\r\ntemplate: {\r\n\tpatch: metadata: labels: a: \"b\"\r\n}\r\n"
        let (definitions, problems) = DefinitionLoader().load(bytes: Array(text.utf8), file: "side.cue")
        #expect(problems.isEmpty, "\(problems)")
        let definition = try #require(definitions.first)
        #expect(definition.templateText.contains("patch: metadata: labels: a: \"b\""), "\(definition.templateText)")
    }

    @Test func onlyWorkflowStepsImportKubeVelasProviders() throws {
        let step = "import (\n\t\"vela/op\"\n)\n\"apply-thing\": {type: \"workflow-step\"}\ntemplate: {\n\tapply: op.#Apply & {value: {}}\n}\n"
        let loaded = DefinitionLoader().load(bytes: Array(step.utf8), file: "step.cue")
        #expect(loaded.problems.isEmpty, "\(loaded.problems)")
        #expect(loaded.definitions.map(\.name) == ["apply-thing"])

        let trait = "import (\n\t\"vela/kube\"\n)\n\"read-thing\": {type: \"trait\"}\ntemplate: {\n\tread: kube.#Read & {}\n}\n"
        let problem = try #require(DefinitionLoader().load(bytes: Array(trait.utf8), file: "trait.cue").problems.first)
        #expect(problem.message.contains("\"vela/kube\""), "\(problem)")
        #expect(problem.location?.line == 2)

        let other = "import \"k8s.io/api/core/v1\"\n\"odd-step\": {type: \"workflow-step\"}\ntemplate: {}\n"
        let refused = try #require(DefinitionLoader().load(bytes: Array(other.utf8), file: "odd.cue").problems.first)
        #expect(refused.message.contains("a package Tandem does not provide"), "\(refused)")
    }

    @Test func aFileReadAgainUnchangedIsNotParsedAgain() throws {
        let path = Self.examples + "/microservice.cue"
        let first = try #require(DefinitionLoader().load(paths: [path]).definitions.first)
        let second = try #require(DefinitionLoader().load(paths: [path]).definitions.first)
        #expect(first.template === second.template)
    }
}
