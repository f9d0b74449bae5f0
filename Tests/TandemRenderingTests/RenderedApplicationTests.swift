import Foundation
import KubeModel
import TandemDefinitions
import TandemJSON
import TandemModel
import TandemTestSupport
import Testing
@testable import TandemRendering

/// The rendered application keeps what deploys, health and the local runtime need: which
/// component and trait made each object, which is the workload, and what each container is for.
@Suite("Rendered application origins")
struct RenderedApplicationTests {
    static let podTypes: [(type: String, properties: String, kind: String, nativeByDefault: Bool)] = [
        ("worker", "{image: app:1}", "Deployment", false),
        ("webservice", "{image: app:1, ports: [{port: 80, expose: true}]}", "Deployment", false),
        ("daemon", "{image: app:1}", "DaemonSet", false),
        ("statefulset", "{image: app:1}", "StatefulSet", false),
        ("task", "{image: app:1}", "Job", true),
        ("cron-task", "{image: app:1, schedule: '@hourly'}", "CronJob", true),
    ]

    @Test("every pod-bearing type: its workload, main container, sidecars by kind", arguments: podTypes.map(\.type))
    func podTypeOrigins(_ type: String) throws {
        let entry = try #require(Self.podTypes.first { $0.type == type })
        let text = """
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata: {name: app}
            spec:
              components:
                - name: comp
                  type: \(type)
                  properties: \(entry.properties)
                  traits:
                    - type: init-container
                      properties: {name: prepare, image: busybox, appMountPath: /work, initMountPath: /work}
                    - type: sidecar
                      properties: {name: shipper, image: shipper:1}
                    - type: sidecar
                      properties: {name: proxy, image: proxy:1, native: \(!entry.nativeByDefault)}
                    - type: labels
                      properties: {tier: web}
            """
        let result = RenderPipeline().render([SourceFile(name: "app.yaml", text: text)])
        #expect(!result.hasErrors, "\(result.diagnostics)")
        let component = try #require(result.outputs.first?.components.first)
        #expect(component.name == "comp" && component.type == type)
        let workload = try #require(component.workload)
        #expect(workload.object.kind == entry.kind)
        #expect(workload.origin == ObjectOrigin(component: "comp", componentType: type, trait: nil, isWorkload: true))
        #expect(component.objects.filter(\.origin.isWorkload).count == 1)
        let roles = Dictionary(uniqueKeysWithValues: component.containers.map { ($0.name, $0) })
        #expect(roles["comp"]?.role == .main && roles["comp"]?.trait == nil)
        #expect(roles["prepare"]?.role == .initContainer && roles["prepare"]?.trait == TraitOrigin(type: "init-container", index: 0))
        #expect(roles["shipper"]?.role == (entry.nativeByDefault ? .nativeSidecar : .sidecar))
        #expect(roles["shipper"]?.trait == TraitOrigin(type: "sidecar", index: 1))
        #expect(roles["proxy"]?.role == (entry.nativeByDefault ? .sidecar : .nativeSidecar))
        #expect(roles["proxy"]?.image == "proxy:1")
        #expect(component.containers.count == 4)
        // The objects made beside the workload know their trait or component.
        for object in component.objects where !object.origin.isWorkload {
            if object.object.kind == "Service" { #expect(object.origin.trait == nil) }
        }
    }

    @Test("objects made by traits know their trait; the component's own objects know none")
    func traitObjects() throws {
        let text = """
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata: {name: shop, namespace: prod}
            spec:
              components:
                - name: db
                  type: statefulset
                  properties: {image: postgres:16, ports: [{port: 5432, expose: true}]}
                - name: web
                  type: webservice
                  dependsOn: [db]
                  properties: {image: web:1, ports: [{port: 8080}]}
                  traits:
                    - type: gateway
                      properties: {domain: shop.example.com, http: {/: 8080}}
                    - type: service-account
                      properties: {name: web, create: true}
                - name: settings
                  type: k8s-objects
                  properties:
                    objects:
                      - {apiVersion: v1, kind: ConfigMap, metadata: {name: shop-settings}, data: {a: b}}
                      - {apiVersion: v1, kind: Secret, metadata: {name: shop-secret}, stringData: {c: d}}
            """
        let result = RenderPipeline().render([SourceFile(name: "app.yaml", text: text)])
        #expect(!result.hasErrors, "\(result.diagnostics)")
        let rendered = try #require(result.outputs.first)
        let origins = rendered.objects.map { "\($0.object.kind)/\($0.object.name): \($0.origin.description)\($0.origin.isWorkload ? " (workload)" : "")" }
        #expect(origins == [
            "StatefulSet/db: component 'db' (workload)",
            "Service/db: component 'db'",
            "Deployment/web: component 'web' (workload)",
            "Service/web: the gateway trait (traits[0]) of component 'web'",
            "Ingress/web: the gateway trait (traits[0]) of component 'web'",
            "ServiceAccount/web: the service-account trait (traits[1]) of component 'web'",
            "ConfigMap/shop-settings: component 'settings' (workload)",
            "Secret/shop-secret: component 'settings'",
        ])
        let settings = try #require(rendered.components.first { $0.name == "settings" })
        #expect(settings.containers.isEmpty && settings.podSpecPath == nil)
        #expect(rendered.objects.allSatisfy { $0.object.namespace == "prod" })
    }

    @Test("components come out after those they depend on")
    func dependencyOrder() throws {
        let text = """
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata: {name: shop}
            spec:
              components:
                - {name: web, type: worker, properties: {image: web:1}, dependsOn: [api]}
                - {name: api, type: worker, properties: {image: api:1}, dependsOn: [db]}
                - {name: db, type: worker, properties: {image: db:1}}
            """
        let result = RenderPipeline().render([SourceFile(name: "app.yaml", text: text)])
        #expect(result.outputs.first?.components.map(\.name) == ["db", "api", "web"])
    }
}
