import TandemDefinitions
import TandemJSON
import TandemKubeVela
import TandemModel
import TandemRendering
import TandemTestSupport
import Testing

/// CUE components and traits render with KubeVela's semantics through Tandem's pipeline.
struct CUEDefinitionRenderTests {
    static let registry: DefinitionRegistry = {
        let loaded = DefinitionLoader().load(paths: [DefinitionLoaderTests.examples])
        return CustomDefinitions.registry(adding: loaded.definitions).registry
    }()

    static func render(_ text: String, registry: DefinitionRegistry = registry) -> RenderResult {
        RenderPipeline(registry: registry).render([SourceFile(name: "app.yaml", text: text)])
    }

    static let application = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: shop
          namespace: prod
          labels: {tier: backend}
        spec:
          components:
            - name: checkout
              type: microservice
              properties:
                image: shop/checkout:1.4
                team: payments
                env: {MODE: live}
              traits:
                - type: log-shipper
                  properties:
                    destination: loki.logging:3100
        """

    @Test func aMicroserviceWithTheLogShipperRendersItsDeploymentAndService() throws {
        let result = Self.render(Self.application)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let objects = result.objects
        #expect(objects.map(\.kind) == ["Deployment", "Service"])
        let deployment = try #require(objects.first).json
        #expect(deployment[path: ["metadata", "name"]] == "checkout")
        #expect(deployment[path: ["metadata", "namespace"]] == "prod")
        #expect(deployment[path: ["spec", "replicas"]] == 2)  // the parameter's default
        let labels = try #require(deployment[path: ["metadata", "labels"]]?.object)
        #expect(labels["app.oam.dev/name"] == "shop" && labels["app.oam.dev/component"] == "checkout")
        #expect(labels["app.oam.dev/appRevision"] == "shop-v1" && labels["workload.oam.dev/type"] == "microservice")
        #expect(labels["tier"] == "backend")
        let pod = try #require(deployment[path: ["spec", "template", "spec"]])
        let containers = try #require(pod["containers"]?.array)
        #expect(containers.map { $0["name"]?.string } == ["checkout", "log-shipper"])
        // The main container kept its own fields and gained the shared mount (merged by name).
        #expect(containers[0]["image"] == "shop/checkout:1.4")
        #expect(containers[0]["env"] == [["name": "MODE", "value": "live"]])
        #expect(containers[0]["volumeMounts"] == [["name": "app-logs", "mountPath": "/var/log/app"]])
        #expect(containers[1]["args"] == ["--input=/var/log/app", "--output=loki.logging:3100"])
        #expect(pod["volumes"] == [["name": "app-logs", "emptyDir": [:]]])
        let service = try #require(objects.last).json
        #expect(service[path: ["metadata", "name"]] == "checkout")
        #expect(service[path: ["spec", "ports"]]?.array?.first?["targetPort"] == 8080)
    }

    @Test func badParametersAreReportedAtTheirLinesAllAtOnce() throws {
        let text = Self.application
            .replacingOccurrences(of: "team: payments", with: "team: sales\n        port: 70000")
            .replacingOccurrences(of: "destination: loki.logging:3100", with: "destination: loki\n            volumeName: Logs_Dir")
        let result = Self.render(text)
        let errors = result.diagnostics.filter(\.isError)
        #expect(errors.count == 3, "\(errors)")
        let lines = Set(errors.compactMap(\.location?.line))
        #expect(lines == [13, 14, 20], "\(errors)")
        #expect(errors.allSatisfy { $0.location?.file == "app.yaml" })
    }

    @Test func contextCarriesWhatKubeVelaFillsIn() throws {
        let source = """
            probe: {type: "component"}
            template: {
            \toutput: {
            \t\tapiVersion: "v1"
            \t\tkind: "ConfigMap"
            \t\tdata: {
            \t\t\tname: context.name, app: context.appName, ns: context.namespace, rev: context.appRevision
            \t\t\tnum: "\\(context.appRevisionNum)", cluster: context.cluster, team: context.appLabels.team
            \t\t\tcomponents: "\\(len(context.components))", workflow: context.workflowName, publish: context.publishVersion
            \t\t\told: "\\(context.clusterVersion.minor < 25)"
            \t\t}
            \t}
            \tparameter: {}
            }
            """
        let loaded = DefinitionLoader().load(bytes: Array(source.utf8), file: "probe.cue")
        #expect(loaded.problems.isEmpty, "\(loaded.problems)")
        let registry = CustomDefinitions.registry(adding: loaded.definitions).registry
        let text = """
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata: {name: shop, namespace: prod, labels: {team: a}, annotations: {app.oam.dev/publishVersion: "7"}}
            spec:
              components:
                - {name: probe, type: probe}
                - {name: web, type: worker, properties: {image: nginx}}
            """
        let result = Self.render(text, registry: registry)
        #expect(result.diagnostics.filter(\.isError).isEmpty, "\(result.diagnostics)")
        let data = try #require(result.objects.first { $0.kind == "ConfigMap" }?.json["data"])
        #expect(data == ["name": "probe", "app": "shop", "ns": "prod", "rev": "shop-v1", "num": "1", "cluster": "",
                         "team": "a", "components": "2", "workflow": "shop", "publish": "7", "old": "false"])
    }

    @Test func theSchemaComesFromParameter() throws {
        let microservice = try #require(Self.registry.components["microservice"])
        let schema = microservice.parameters
        #expect(schema.properties.map(\.name) == ["image", "port", "replicas", "team", "env"])
        #expect(schema.properties.filter(\.isRequired).map(\.name) == ["image", "team"])
        let port = try #require(schema.property(named: "port")?.schema)
        #expect(port.defaultValue == 8080 && port.range == 1...65535)
        #expect(port.description == "The port the service listens on")
        #expect(schema.property(named: "team")?.schema.allowedValues == ["payments", "search", "platform"])
        if case .map = schema.property(named: "env")?.schema.kind {} else { Issue.record("env should be a map") }
        #expect(schema.isOpen)  // parameter is a regular struct: CUE keeps it open
    }

    static func registry(_ text: String, file: String) -> DefinitionRegistry {
        let loaded = DefinitionLoader().load(bytes: Array(text.utf8), file: file)
        #expect(loaded.problems.isEmpty, "\(loaded.problems)")
        return CustomDefinitions.registry(adding: loaded.definitions).registry
    }

    @Test func closedParameterStructsRefuseUnknownFieldsWithADidYouMean() throws {
        let registry = Self.registry("""
            box: {type: "component"}
            template: {
            \toutput: {apiVersion: "v1", kind: "ConfigMap", data: image: parameter.image}
            \tparameter: close({image: string, size?: int, tags: [...string], extra?: [...string]})
            }
            """, file: "box.cue")
        #expect(registry.components["box"]?.parameters.isOpen == false)
        // An open list is `[]` until given: not required.
        #expect(registry.components["box"]?.parameters.properties.filter(\.isRequired).map(\.name) == ["image"])
        // An optional one stays absent until given: no default to fill in.
        #expect(registry.components["box"]?.parameters.property(named: "tags")?.schema.defaultValue == [])
        #expect(registry.components["box"]?.parameters.property(named: "extra")?.schema.defaultValue == nil)
        let text = """
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata: {name: a}
            spec:
              components:
                - name: b
                  type: box
                  properties:
                    image: nginx
                    sise: 3
            """
        let result = Self.render(text, registry: registry)
        let problem = try #require(result.diagnostics.first)
        #expect(problem.code == .unknownProperty && problem.location?.line == 10, "\(problem)")
        #expect(problem.description.contains("size"), "\(problem)")
    }

    @Test func customPoliciesAreValidatedAndStepsKeptForTheDeployLifecycle() throws {
        let policy = "audit: {type: \"policy\"}\ntemplate: parameter: level: *\"info\" | \"debug\"\n"
        let step = "ping: {type: \"workflow-step\"}\ntemplate: parameter: url: string\n"
        let loaded = DefinitionLoader().load(bytes: Array(policy.utf8), file: "audit.cue").definitions
            + DefinitionLoader().load(bytes: Array(step.utf8), file: "ping.cue").definitions
        let registry = CustomDefinitions.registry(adding: loaded).registry
        func text(_ level: String) -> String {
            """
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata: {name: a}
            spec:
              components:
                - {name: w, type: worker, properties: {image: nginx}}
              policies:
                - {name: p, type: audit, properties: {level: \(level)}}
              workflow:
                steps:
                  - {name: s, type: ping, properties: {url: "http://example.com"}}
                  - {name: d, type: deploy, properties: {policies: []}}
            """
        }
        let bad = Self.render(text("loud"), registry: registry)
        #expect(bad.diagnostics.filter(\.isError).map { $0.location?.line } == [8], "\(bad.diagnostics)")
        let good = Self.render(text("debug"), registry: registry)
        #expect(good.diagnostics.filter(\.isError).isEmpty, "\(good.diagnostics)")
        let application = try #require(good.outputs.first)
        // A custom policy acts while rendering (its template's output); this one has none: it only checks.
        #expect(application.deployTimePolicies.isEmpty)
        #expect(application.policyObjects.isEmpty)
        #expect(application.deployTimeSteps.map(\.type) == ["ping"])
        // Their reference pages' examples render.
        let manual = ReferenceManual(registry: registry).files()
        for page in manual where page.path == "policies/audit.md" || page.path == "workflow-steps/ping.md" {
            #expect(!page.content.contains("error:"), "\(page.content)")
        }
        #expect(manual.filter { $0.path == "policies/audit.md" || $0.path == "workflow-steps/ping.md" }.count == 2)
    }
    /// A policy's template makes objects, reading what the components rendered (`context.artifacts`);
    /// a trait's `patch` means nothing there: a warning at the policy's type.
    @Test func aPolicyTemplateMakesObjectsAndItsPatchIsWarnedAbout() throws {
        let policy = """
            labels: {type: "policy"}
            template: {
            \toutput: {apiVersion: "v1", kind: "ConfigMap", data: {
            \t\tteam:  parameter.team
            \t\timage: context.artifacts.w.workload.spec.template.spec.containers[0].image
            \t}}
            \tpatch: metadata: labels: team: parameter.team
            \tparameter: team: string
            }

            """
        let registry = CustomDefinitions.registry(adding: DefinitionLoader().load(bytes: Array(policy.utf8), file: "labels.cue").definitions).registry
        let result = Self.render("""
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata: {name: a, namespace: prod}
            spec:
              components:
                - {name: w, type: worker, properties: {image: nginx}}
              policies:
                - {name: owners, type: labels, properties: {team: payments}}
            """, registry: registry)
        #expect(!result.hasErrors, "\(result.diagnostics)")
        let warning = try #require(result.diagnostics.first { $0.code == .ignoredValue }, "\(result.diagnostics)")
        #expect(warning.location?.line == 8 && warning.description.contains("patch"), "\(warning)")
        let application = try #require(result.outputs.first)
        let object = try #require(application.policyObjects.first)
        #expect(object.object.name == "owners" && object.object.namespace == "prod")
        #expect(object.object.json["data"] == ["team": "payments", "image": "nginx"], "context.artifacts holds the components' workloads")
        #expect(object.origin.policy == "owners")
        #expect(application.objects.first?.object.name == "owners", "rendered before the components' objects")
    }
}
