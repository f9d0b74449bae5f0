/// The component types and traits Tandem knows, by name.
public struct DefinitionRegistry: Sendable {
    public private(set) var components: [String: any ComponentDefinition] = [:]
    public private(set) var traits: [String: any TraitDefinition] = [:]

    public init(components: [any ComponentDefinition], traits: [any TraitDefinition]) {
        for component in components { self.components[component.name] = component }
        for trait in traits { self.traits[trait.name] = trait }
    }

    /// Every built-in definition. Adding a definition is one file plus one line here.
    public static let builtIn = DefinitionRegistry(
        components: [Worker(), Webservice(), Task(), CronTask(), Daemon(), StatefulSetComponent(), KubernetesObjects()],
        traits: [Sidecar(), InitContainer(), Scaler(), LabelsTrait(), AnnotationsTrait(), EnvTrait(), ResourceTrait(), CommandTrait(),
                 ContainerImage(), ContainerPorts(), Expose(), Gateway(), HostAlias(), ServiceAccountTrait(),
                 SecurityContextTrait(), PodSecurityContextTrait(), StartupProbe(), Lifecycle(), Affinity(), Storage(),
                 JSONPatchTrait(), JSONMergePatchTrait()])

    public var componentNames: [String] { components.keys.sorted() }
    public var traitNames: [String] { traits.keys.sorted() }
}
