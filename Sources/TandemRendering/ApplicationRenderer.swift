import KubeModel
import TandemDefinitions
import TandemJSON
import TandemModel

/// The render stage: each delivery of a validated Application — each component through its
/// type's definition, then its traits in order, each seeing the workload as the earlier ones left
/// it — labelled with its environment.
struct ApplicationRenderer {
    let registry: DefinitionRegistry
    let kubeVersion: KubeVersion
    let limits: InputLimits
    var appRevisionNumber = 1

    /// The label naming the environment (the deploy step) an object was rendered for.
    static let environmentLabel = "app.oam.dev/env"

    /// The rendered application; components that failed to render are left out (the reasons
    /// are in the log).
    func render(_ application: Application, log: DiagnosticLog) -> RenderedApplication {
        let selector = application.annotations.first { $0.key == SelectorLabels.annotation }
            .flatMap { SelectorLabels(rawValue: $0.value) } ?? .applicationAndComponent
        let deliveries = application.deliveries ?? [Delivery(environment: nil, namespace: nil, components: application.components, step: nil)]
        var rendered: [RenderedComponent] = []
        var seen: Set<String> = []
        for (index, delivery) in deliveries.enumerated() {
            // A later delivery repeats the checks of the earlier ones: report each problem once.
            let deliveryLog = index == 0 ? log : DiagnosticLog(limit: log.limit)
            var components: [RenderedComponent] = []
            var replicaObjects: [String: Set<ObjectReference>] = [:]
            var warnedReplicas: Set<String> = []
            for component in delivery.components {
                // Steps that only apply components deliver each once per namespace.
                let key = "\(delivery.environment ?? "")/\(delivery.namespace ?? "")/\(component.name)"
                guard delivery.environment != nil || seen.insert(key).inserted else { continue }
                let place = Place(namespace: delivery.namespace ?? application.namespace, environment: delivery.environment,
                                  step: delivery.step, selector: selector)
                guard let output = render(component, of: application, at: place, DiagnosticScope(log: deliveryLog, source: application.source)) else {
                    continue
                }
                if component.replicaKey != nil {
                    // A type that does not read context.replicaKey renders every copy alike: deliver its objects once.
                    let references = Set(output.objects.map(\.reference))
                    if let earlier = replicaObjects[component.name], references.isSubset(of: earlier) {
                        if warnedReplicas.insert(component.name).inserted {
                            DiagnosticScope(log: deliveryLog, source: application.source).warning(
                                "the \(component.type) type does not read context.replicaKey: its copies render the same objects, delivered once",
                                at: component.path / "type", code: .replicaKeyUnused,
                                hint: "replicate components whose type names its objects after context.replicaKey")
                        }
                        continue
                    }
                    replicaObjects[component.name, default: []].formUnion(references)
                }
                components.append(output)
            }
            if deliveryLog !== log {
                let known = Set(log.diagnostics)
                log.add(contentsOf: deliveryLog.diagnostics.filter { !known.contains($0) })
            }
            rendered += Self.deployOrder(components, application)
        }
        var result = RenderedApplication(application: application, components: rendered, registry: registry, selector: selector)
        result.policyObjects = renderPolicies(of: application, artifacts: Self.artifacts(rendered), selector: selector,
                                              DiagnosticScope(log: log, source: application.source))
        return result
    }

    /// The objects the application's policies make (custom ones' `output` and `outputs`), in the
    /// application's namespace, labelled as the application's.
    private func renderPolicies(of application: Application, artifacts: JSONValue, selector: SelectorLabels,
                                _ root: DiagnosticScope) -> [RenderedObject] {
        var common: [(key: String, value: String)] = [(LabelKeys.appName, application.name)]
        if let namespace = application.namespace { common.append((LabelKeys.namespace, namespace)) }
        return application.policies.flatMap { policy -> [RenderedObject] in
            guard let definition = registry.policies[policy.type] else { return [] }
            var context = RenderContext(appName: application.name, namespace: application.namespace, componentName: policy.name,
                                        componentType: policy.type, kubeVersion: kubeVersion, limits: limits,
                                        scope: root.scoped(policy.path / "properties"), selector: selector, application: application,
                                        appRevisionNumber: appRevisionNumber)
            context.artifacts = artifacts
            return definition.objects(policy, context: context).map { object in
                var object = object
                object.addLabels(common + Self.propagated(application.labels))
                object.addAnnotations(Self.propagated(application.annotations))
                return RenderedObject(object: object, origin: ObjectOrigin(component: "", componentType: "", trait: nil, isWorkload: false,
                                                                          policy: policy.name))
            }
        }
    }

    /// `context.artifacts` for policies, as KubeVela fills it: each component's workload, and its
    /// traits' objects by trait type and resource name (the first delivery of each component).
    static func artifacts(_ components: [RenderedComponent]) -> JSONValue {
        var artifacts = JSONObject()
        for component in components where artifacts[component.name] == nil {
            var entry = JSONObject()
            var traits = JSONObject()
            for object in component.objects {
                if object.origin.isWorkload { entry["workload"] = object.object.json; continue }
                guard let trait = object.origin.trait else { continue }
                let resource = object.object.json[path: ["metadata", "labels", "trait.oam.dev/resource"]]?.string ?? object.object.name
                var byResource = traits[trait.type]?.object ?? JSONObject()
                byResource[resource] = object.object.json
                traits[trait.type] = .object(byResource)
            }
            if !traits.isEmpty { entry["traits"] = .object(traits) }
            artifacts[component.name] = .object(entry)
        }
        return .object(artifacts)
    }

    /// Where a component is rendered to.
    private struct Place {
        var namespace: String?
        var environment: String?
        var step: FieldPath?
        var selector: SelectorLabels
    }

    private func render(_ component: Application.Component, of application: Application, at place: Place, _ root: DiagnosticScope) -> RenderedComponent? {
        guard let definition = registry.components[component.type] else { return nil }
        let errorsBefore = root.log.errorCount
        if let problem = definition.nameProblem(appName: application.name, componentName: component.name) {
            root.error(problem.message, at: component.path / "name", code: .nameTooLong, hint: problem.hint)
        }
        let revision = Self.revision(of: component)
        func context(_ scope: DiagnosticScope) -> RenderContext {
            var context = RenderContext(appName: application.name, namespace: place.namespace, componentName: component.name,
                                        componentType: component.type, kubeVersion: kubeVersion, limits: limits, scope: scope,
                                        selector: place.selector, revision: revision, application: application,
                                        appRevisionNumber: appRevisionNumber)
            context.replicaKey = component.replicaKey
            return context
        }
        var draft = definition.render(component.properties, context: context(root.scoped(component.path / "properties")))
        draft.prefersNativeSidecars = draft.prefersNativeSidecars || definition.runsToCompletion
        if let main = draft.mainContainer {
            for field in ProbeSlot.fields where component.properties[field] != nil {
                draft.probeSources[ProbeSlot(container: main, field: field)] = component.path / "properties" / field
            }
        }
        var objectOrigins: [TraitOrigin?] = Array(repeating: nil, count: draft.auxiliaries.count)
        var containerOrigins: [String: TraitOrigin] = [:]
        var traitPolicies: [HealthPolicy] = []
        let componentObjects = draft.auxiliaries.count
        for trait in component.traits {
            guard let traitDefinition = registry.traits[trait.type] else { continue }
            if case .podTemplate = traitDefinition.appliesTo, draft.podSpecPath == nil {
                root.error("the component's workload, a \(draft.workload.kind), has no pod template for the \(trait.type) trait to change",
                           at: trait.path / "type", code: .traitNotApplicable,
                           hint: "make the first object a Deployment, StatefulSet, DaemonSet, Job or CronJob with a pod template")
                continue
            }
            let origin = TraitOrigin(type: trait.type, index: trait.index)
            let containersBefore = Set(draft.containerNames)
            let objectsBefore = draft.auxiliaries.count
            traitDefinition.apply(trait.properties, to: &draft, context: context(root.scoped(trait.path / "properties")))
            if let policy = traitDefinition.healthPolicy(trait.properties, context: context(root.scoped(trait.path / "properties")),
                                                         outputs: Self.healthOutputs(of: draft, objectsBefore..<draft.auxiliaries.count)) {
                traitPolicies.append(policy)
            }
            objectOrigins += Array(repeating: origin, count: draft.auxiliaries.count - objectOrigins.count)
            for name in draft.containerNames where !containersBefore.contains(name) { containerOrigins[name] = origin }
        }
        ProbePortCheck.check(draft, component: component.path, root)
        guard root.log.errorCount == errorsBefore else { return nil }
        var rendered = finish(draft, application, component, definition, place, objectOrigins, containerOrigins)
        rendered.healthPolicy = definition.healthPolicy(component.properties, context: context(root.scoped(component.path / "properties")),
                                                        outputs: Self.healthOutputs(of: draft, 0..<componentObjects))
        rendered.traitHealthPolicies = traitPolicies
        return rendered
    }

    /// The named outputs among `objects` (the component's own, or one trait's), for a health
    /// policy's `context.outputs`, as they are after every trait.
    static func healthOutputs(of draft: ComponentDraft, _ objects: Range<Int>) -> [HealthPolicy.Output] {
        draft.namedOutputs.filter { objects.contains($0.value) }.sorted { $0.value < $1.value }.map {
            HealthPolicy.Output(name: $0.key, kind: draft.auxiliaries[$0.value].kind, objectName: draft.auxiliaries[$0.value].name)
        }
    }

    /// `<component>-<hash of its properties and traits>`: it changes whenever the component does,
    /// as KubeVela's component revisions do.
    static func revision(of component: Application.Component) -> String {
        let text = JSONWriter.compact(component.properties.values) + component.traits.map { $0.type + JSONWriter.compact($0.properties.values) }.joined()
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let digits = String(hash, radix: 16)
        return String(component.name.prefix(52)) + "-" + String(repeating: "0", count: max(0, 10 - digits.count)) + digits.prefix(10)
    }

    /// Labels every object with the application, component, type and environment, then the
    /// application's own labels, and notes each object's and container's origin.
    private func finish(
        _ draft: ComponentDraft, _ application: Application, _ component: Application.Component,
        _ definition: any ComponentDefinition, _ place: Place, _ objectOrigins: [TraitOrigin?], _ containerOrigins: [String: TraitOrigin]
    ) -> RenderedComponent {
        var common: [(key: String, value: String)] = [(LabelKeys.appName, application.name), (LabelKeys.component, component.name)]
        if let namespace = application.namespace { common.append((LabelKeys.namespace, namespace)) }
        if let environment = place.environment { common.append((Self.environmentLabel, environment)) }
        func stamp(_ object: KubeObject, _ trait: TraitOrigin?, isWorkload: Bool) -> RenderedObject {
            var object = object
            let typeLabel = trait.map { (LabelKeys.traitType, $0.type) } ?? (LabelKeys.workloadType, definition.name)
            object.addLabels(common + [typeLabel] + Self.propagated(application.labels))
            object.addAnnotations(Self.propagated(application.annotations))
            return RenderedObject(object: object, origin: ObjectOrigin(component: component.name, componentType: component.type,
                                                                      trait: trait, isWorkload: isWorkload, environment: place.environment))
        }
        let objects = [stamp(draft.workload, nil, isWorkload: true)]
            + zip(draft.auxiliaries, objectOrigins).map { stamp($0, $1, isWorkload: false) }
        return RenderedComponent(name: component.name, type: component.type, index: component.index, objects: objects,
                                 containers: containers(of: draft, containerOrigins), podSpecPath: draft.podSpecPath,
                                 environment: place.environment, step: place.step)
    }

    /// The Application's own labels and annotations that its objects inherit: not those that
    /// make the Application an ApplySet parent (its objects would look like parents themselves),
    /// kubectl's bookkeeping, or Tandem's settings for the Application.
    static func propagated(_ pairs: [(key: String, value: String)]) -> [(key: String, value: String)] {
        pairs.filter { pair in !notInherited.contains { pair.key.hasPrefix($0) } }
    }

    static let notInherited = ["applyset.kubernetes.io/", "kubectl.kubernetes.io/", "tandem.oam.dev/"]

    private func containers(of draft: ComponentDraft, _ origins: [String: TraitOrigin]) -> [RenderedContainer] {
        guard let pod = draft.podSpec else { return [] }
        func entry(_ container: JSONValue, role: RenderedContainer.Role) -> RenderedContainer {
            let name = container.text("name")
            return RenderedContainer(name: name, image: container.text("image"), role: role, trait: origins[name])
        }
        let initContainers = pod.initContainers.map { container in
            entry(container, role: container["restartPolicy"]?.string == "Always" ? .nativeSidecar : .initContainer)
        }
        let containers = pod.containers.map { container in
            entry(container, role: container["name"]?.string == draft.mainContainer ? .main : .sidecar)
        }
        return initContainers + containers
    }

    /// Components after those they depend on, otherwise in the order written.
    static func deployOrder(_ components: [RenderedComponent], _ application: Application) -> [RenderedComponent] {
        guard application.components.contains(where: { !$0.dependsOn.isEmpty }) else { return components }
        let dependencies = Dictionary(application.components.map { ($0.name, $0.dependsOn) }, uniquingKeysWith: { first, _ in first })
        var names: [String] = []
        for component in components where !names.contains(component.name) { names.append(component.name) }
        // A replicated component's copies share its name: they go together.
        let byName = Dictionary(grouping: components, by: \.name)
        return DependencyOrder.sorted(names, dependencies: dependencies).flatMap { byName[$0] ?? [] }
    }
}

extension JSONValue {
    fileprivate func text(_ key: String) -> String { self[key]?.string ?? "" }
}
