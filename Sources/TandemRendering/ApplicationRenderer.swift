import KubeModel
import TandemDefinitions
import TandemJSON
import TandemModel

/// The render stage: each component of a validated Application through its type's definition,
/// then its traits in order, each seeing the workload as the earlier ones left it.
struct ApplicationRenderer {
    let registry: DefinitionRegistry
    let kubeVersion: KubeVersion
    let limits: InputLimits

    /// The rendered application; components that failed to render are left out (the reasons
    /// are in the log).
    func render(_ application: Application, log: DiagnosticLog) -> RenderedApplication {
        let root = DiagnosticScope(log: log, source: application.source)
        var rendered: [RenderedComponent] = []
        for component in application.components {
            guard let definition = registry.components[component.type] else { continue }
            let errorsBefore = log.errorCount
            if let problem = definition.nameProblem(appName: application.name, componentName: component.name) {
                root.error(problem.message, at: component.path / "name", code: .nameTooLong, hint: problem.hint)
            }
            var draft = definition.render(component.properties, context: context(application, component, root.scoped(component.path / "properties")))
            draft.prefersNativeSidecars = definition.runsToCompletion
            var objectOrigins: [TraitOrigin?] = Array(repeating: nil, count: draft.auxiliaries.count)
            var containerOrigins: [String: TraitOrigin] = [:]
            for trait in component.traits {
                guard let traitDefinition = registry.traits[trait.type] else { continue }
                let origin = TraitOrigin(type: trait.type, index: trait.index)
                let containersBefore = Set(draft.containerNames)
                traitDefinition.apply(trait.properties, to: &draft,
                                      context: context(application, component, root.scoped(trait.path / "properties")))
                objectOrigins += Array(repeating: origin, count: draft.auxiliaries.count - objectOrigins.count)
                for name in draft.containerNames where !containersBefore.contains(name) { containerOrigins[name] = origin }
            }
            guard log.errorCount == errorsBefore else { continue }
            rendered.append(finish(draft, application, component, definition, objectOrigins, containerOrigins))
        }
        return RenderedApplication(application: application, components: Self.deployOrder(rendered, application))
    }

    private func context(_ application: Application, _ component: Application.Component, _ scope: DiagnosticScope) -> RenderContext {
        RenderContext(appName: application.name, namespace: application.namespace, componentName: component.name,
                      componentType: component.type, kubeVersion: kubeVersion, limits: limits, scope: scope)
    }

    /// Labels every object with the application, component and type, then the application's own
    /// labels, and notes each object's and container's origin.
    private func finish(
        _ draft: ComponentDraft, _ application: Application, _ component: Application.Component,
        _ definition: any ComponentDefinition, _ objectOrigins: [TraitOrigin?], _ containerOrigins: [String: TraitOrigin]
    ) -> RenderedComponent {
        var common: [(key: String, value: String)] = [(LabelKeys.appName, application.name), (LabelKeys.component, component.name)]
        if let namespace = application.namespace { common.append((LabelKeys.namespace, namespace)) }
        func stamp(_ object: KubeObject, _ trait: TraitOrigin?, isWorkload: Bool) -> RenderedObject {
            var object = object
            let typeLabel = trait.map { (LabelKeys.traitType, $0.type) } ?? (LabelKeys.workloadType, definition.name)
            object.addLabels(common + [typeLabel] + application.labels)
            object.addAnnotations(application.annotations)
            return RenderedObject(object: object, origin: ObjectOrigin(component: component.name, componentType: component.type,
                                                                      trait: trait, isWorkload: isWorkload))
        }
        let objects = [stamp(draft.workload, nil, isWorkload: true)]
            + zip(draft.auxiliaries, objectOrigins).map { stamp($0, $1, isWorkload: false) }
        return RenderedComponent(name: component.name, type: component.type, index: component.index, objects: objects,
                                 containers: containers(of: draft, containerOrigins), podSpecPath: draft.podSpecPath)
    }

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
        let order = DependencyOrder.sorted(components.map(\.name), dependencies: dependencies)
        let byName = Dictionary(components.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return order.compactMap { byName[$0] }
    }
}

extension JSONValue {
    fileprivate func text(_ key: String) -> String { self[key]?.string ?? "" }
}
