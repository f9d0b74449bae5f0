import KubeModel
import TandemDefinitions
import TandemJSON
import TandemModel

/// The validation stage: checks every component's and trait's `properties` against the schema of
/// its type, the policies and workflow steps against theirs, and gives the Application with
/// validated, defaulted parameters and the deliveries its workflow makes.
struct ApplicationValidator {
    let registry: DefinitionRegistry
    let limits: InputLimits

    /// The keys around `properties`, for the hint that one was indented under it by mistake.
    static let component = SchemaValidator.Enclosing(keys: ["name", "type", "traits", "dependsOn"], name: "component", valueKey: "properties")
    static let trait = SchemaValidator.Enclosing(keys: ["type"], name: "trait", valueKey: "properties")

    /// The Application, holding the components whose parameters (and traits') are valid, and
    /// whether it is complete: envelope valid and every component, policy and step valid. An
    /// incomplete one is still rendered, so that checks made at render time report on every
    /// component that can be checked, but its objects are never used.
    func validate(_ envelope: ApplicationEnvelope, log: DiagnosticLog) -> (application: Application, isComplete: Bool) {
        let root = DiagnosticScope(log: log, source: envelope.source)
        let components = envelope.components.compactMap { validate($0, root) }
        let workflow = WorkflowValidator(registry: registry, limits: limits).validate(envelope, root)
        checkSelectorAnnotation(envelope, root)
        ObjectReferenceCheck(policies: workflow.policies).check(components, root)
        var application = Application(
            name: envelope.name, namespace: envelope.namespace, labels: envelope.labels, annotations: envelope.annotations,
            components: components, policies: workflow.policies, workflow: workflow.steps, server: envelope.server,
            source: envelope.source)
        application.workflowMode = envelope.workflowMode
        // The workflow is planned over the valid policies and steps, so that its references are
        // checked in the same run as everything else.
        let errorsBefore = log.errorCount
        if envelope.isValid, components.count == envelope.components.count {
            application.deliveries = DeliveryPlanner(validator: self, envelope: envelope, application: application, root: root).plan()
        }
        let isComplete = envelope.isValid && components.count == envelope.components.count && workflow.valid
            && log.errorCount == errorsBefore
        return (application, isComplete)
    }

    /// A component with validated parameters (and traits'), or `nil` after reporting why not.
    func validate(_ component: ApplicationEnvelope.Component, _ root: DiagnosticScope) -> Application.Component? {
        let scope = root.scoped(component.path)
        guard let definition = resolve(component, scope) else {
            // Still check the traits' own parameters, so one run reports everything.
            for trait in component.traits { _ = validate(trait, root.scoped(trait.path), nil) }
            return nil
        }
        let properties = SchemaValidator.validate(component.properties, against: definition.parameters,
                                                  in: scope.scoped(["properties"]), limits: limits, enclosing: Self.component)
            .flatMap { valid in checked(Parameters(valid), scope.scoped(["properties"])) { definition.check(&$0, scope: $1) } }
        let traits = component.traits.map { validate($0, root.scoped($0.path), definition) }
        guard let properties, traits.allSatisfy({ $0 != nil }) else { return nil }
        return Application.Component(
            name: component.name, type: component.type, properties: properties,
            traits: traits.compactMap { $0 }, dependsOn: component.dependsOn, index: component.index)
    }

    private func resolve(_ component: ApplicationEnvelope.Component, _ scope: DiagnosticScope) -> (any ComponentDefinition)? {
        if let definition = registry.components[component.type] { return definition }
        let suggestion = registry.componentAliases[component.type.lowercased()]
            ?? Suggestion.closest(to: component.type, among: registry.componentNames)
        scope.error("unknown component type '\(component.type)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
                    at: ["type"], code: .unknownComponentType,
                    hint: suggestion == nil ? "known component types: \(registry.componentNames.joined(separator: ", "))" : nil)
        return nil
    }

    /// The trait with validated parameters, or `nil` after reporting why not.
    private func validate(
        _ trait: ApplicationEnvelope.Trait, _ scope: DiagnosticScope, _ component: (any ComponentDefinition)?
    ) -> Application.Trait? {
        guard let definition = registry.traits[trait.type] else {
            let suggestion = registry.traitAliases[trait.type.lowercased()] ?? Suggestion.closest(to: trait.type, among: registry.traitNames)
            scope.error("unknown trait type '\(trait.type)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
                        at: ["type"], code: .unknownTraitType)
            return nil
        }
        let properties = SchemaValidator.validate(trait.properties, against: definition.parameters,
                                                  in: scope.scoped(["properties"]), limits: limits, enclosing: Self.trait)
            .flatMap { valid in checked(Parameters(valid), scope.scoped(["properties"])) { definition.check(&$0, scope: $1) } }
        if let component, !definition.appliesTo.fits(component) {
            scope.error("the \(definition.name) trait does not apply to component type '\(component.name)'",
                        at: ["type"], code: .traitNotApplicable,
                        hint: "it applies to: \(registry.fittingTypes(definition).joined(separator: ", "))")
            return nil
        }
        return properties.map {
            Application.Trait(type: trait.type, properties: $0, index: trait.index, componentIndex: trait.componentIndex)
        }
    }

    /// Parameters the schema found valid, after the definition's own check; nil when it found a problem.
    private func checked(
        _ parameters: Parameters, _ scope: DiagnosticScope, _ check: (inout Parameters, DiagnosticScope) -> Bool
    ) -> Parameters? {
        var parameters = parameters
        return check(&parameters, scope) ? parameters : nil
    }

    /// The annotation that chooses the selector labels takes one of two values.
    private func checkSelectorAnnotation(_ envelope: ApplicationEnvelope, _ root: DiagnosticScope) {
        guard let value = envelope.annotations.first(where: { $0.key == SelectorLabels.annotation })?.value,
              SelectorLabels(rawValue: value) == nil else { return }
        let allowed = [SelectorLabels.applicationAndComponent, .componentOnly].map(\.rawValue)
        root.error("\(SchemaValidator.quoted(value)) is not one of \(SchemaValidator.quotedList(allowed, conjunction: "or"))",
                   at: ["metadata", "annotations", .key(SelectorLabels.annotation)], code: .invalidValue,
                   hint: "component-only keeps the selectors of workloads KubeVela created; app-and-component is the default")
    }
}
