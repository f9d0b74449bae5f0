import KubeModel
import TandemDefinitions
import TandemModel
import TandemParsing

/// Renders the components of one Application, each with its traits in order.
struct ApplicationRenderer {
    let registry: DefinitionRegistry
    let kubeVersion: KubeVersion
    let log: DiagnosticLog

    func render(_ application: Application) -> [RenderedObject] {
        let document = application.source
        let root = DiagnosticScope(log: log, file: document.file, document: document.root)
        var objects: [RenderedObject] = []
        for component in application.components {
            let componentScope = root.scoped(component.path)
            guard let definition = resolveComponent(component, componentScope) else {
                // Still check the traits' own parameters, so one run reports everything.
                for trait in component.traits { _ = validate(trait, root.scoped(trait.path), nil) }
                continue
            }
            let properties = validate(component.properties, against: definition.parameters, componentScope.scoped(["properties"]))
            let traits = component.traits.map { trait in
                (trait, validate(trait, root.scoped(trait.path), definition))
            }
            guard application.isValid, let properties, traits.allSatisfy({ $0.1 != nil }) else { continue }

            let errorsBefore = log.errorCount
            var rendered = definition.render(properties, context: context(application, component, componentScope.scoped(["properties"])))
            rendered.prefersNativeSidecars = definition.runsToCompletion
            for case let (index, (trait, (definition, traitProperties)?)) in traits.enumerated() {
                let objectsBefore = rendered.auxiliaries.count
                definition.apply(traitProperties, to: &rendered,
                                 context: context(application, component, root.scoped(trait.path).scoped(["properties"])))
                for added in objectsBefore..<max(objectsBefore, rendered.auxiliaries.count) {
                    rendered.auxiliaries[added].traitIndex = index
                }
            }
            guard log.errorCount == errorsBefore else { continue }
            objects += stamp(rendered, application, component, definition).map {
                RenderedObject(object: $0.object, application: application, component: component, traitIndex: $0.traitIndex)
            }
        }
        return objects
    }

    private func resolveComponent(_ component: Application.Component, _ scope: DiagnosticScope) -> (any ComponentDefinition)? {
        if let definition = registry.components[component.type] { return definition }
        let suggestion = Suggestion.closest(to: component.type, among: registry.componentNames)
        scope.error("unknown component type '\(component.type)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
                    at: ["type"], code: "unknown-type",
                    hint: suggestion == nil ? "known component types: \(registry.componentNames.joined(separator: ", "))" : nil)
        return nil
    }

    /// The trait's definition and validated parameters, or `nil` after reporting why not.
    private func validate(
        _ trait: Application.Trait, _ scope: DiagnosticScope, _ component: (any ComponentDefinition)?
    ) -> (any TraitDefinition, JSONValue)? {
        guard let definition = registry.traits[trait.type] else {
            let suggestion = Suggestion.closest(to: trait.type, among: registry.traitNames)
            scope.error("unknown trait type '\(trait.type)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
                        at: ["type"], code: "unknown-type",
                        hint: suggestion == nil ? "tandem definitions lists the \(registry.traitNames.count) trait types" : nil)
            return nil
        }
        let properties = validate(trait.properties, against: definition.parameters, scope.scoped(["properties"]))
        if let component, !definition.appliesTo.fits(component) {
            let fitting = registry.componentNames.filter { registry.components[$0].map(definition.appliesTo.fits) ?? false }
            scope.error("the \(definition.name) trait does not apply to component type '\(component.name)'",
                        at: ["type"], code: "trait-not-applicable",
                        hint: "it applies to: \(fitting.joined(separator: ", "))")
            return nil
        }
        return properties.map { (definition, $0) }
    }

    /// Validates parameters; a missing `properties` is validated as an empty mapping, so required
    /// parameters are reported and defaults filled in.
    private func validate(_ node: YAMLNode?, against schema: Schema, _ scope: DiagnosticScope) -> JSONValue? {
        let position = node?.position ?? scope.document.position(of: scope.path)
        return SchemaValidator.validate(node ?? YAMLNode(.mapping([]), at: position), against: schema, in: scope)
    }

    private func context(_ application: Application, _ component: Application.Component, _ scope: DiagnosticScope) -> RenderContext {
        RenderContext(appName: application.name, namespace: application.namespace, componentName: component.name,
                      componentType: component.type, kubeVersion: kubeVersion, scope: scope)
    }

    /// Labels every object with the application, component and type, then the application's own
    /// labels; returns each with the index of the trait that made it.
    private func stamp(
        _ rendered: RenderedComponent, _ application: Application, _ component: Application.Component,
        _ definition: any ComponentDefinition
    ) -> [(object: KubeObject, traitIndex: Int?)] {
        var common: [(key: String, value: String)] = [(Labels.appName, application.name), (Labels.component, component.name)]
        if let namespace = application.namespace { common.append((Labels.namespace, namespace)) }
        func finish(_ object: KubeObject, _ typeLabel: (key: String, value: String)) -> KubeObject {
            var object = object
            object.addLabels(common + [typeLabel] + application.labels)
            object.addAnnotations(application.annotations)
            return object
        }
        return [(finish(rendered.workload, (Labels.workloadType, definition.name)), nil)]
            + rendered.auxiliaries.map { auxiliary in
                (finish(auxiliary.object, auxiliary.traitType.map { (Labels.traitType, $0) } ?? (Labels.workloadType, definition.name)),
                 auxiliary.traitIndex)
            }
    }
}
