/// The component types and traits Tandem knows, by name.
public struct DefinitionRegistry: Sendable {
    public private(set) var components: [String: any ComponentDefinition] = [:]
    public private(set) var traits: [String: any TraitDefinition] = [:]
    public let componentNames: [String]
    public let traitNames: [String]

    public init(components: [any ComponentDefinition], traits: [any TraitDefinition]) {
        for component in components { self.components[component.name] = component }
        for trait in traits { self.traits[trait.name] = trait }
        componentNames = self.components.keys.sorted()
        traitNames = self.traits.keys.sorted()
    }

    /// Every built-in definition. Adding a definition is one file plus one entry here.
    public static let builtIn = DefinitionRegistry(
        components: [WorkerComponent(), WebserviceComponent(), TaskComponent(), CronTaskComponent(), DaemonComponent(),
                     StatefulSetComponent(), KubernetesObjectsComponent()],
        traits: [SidecarTrait(), InitContainerTrait(), ScalerTrait(), LabelsTrait(), AnnotationsTrait(), EnvTrait(), ResourceTrait(),
                 CommandTrait(), ContainerImageTrait(), ContainerPortsTrait(), ExposeTrait(), GatewayTrait(), HostAliasTrait(),
                 ServiceAccountTrait(), SecurityContextTrait(), PodSecurityContextTrait(), StartupProbeTrait(), LifecycleTrait(),
                 AffinityTrait(), StorageTrait(), JSONPatchTrait(), JSONMergePatchTrait()])

    /// Names users bring from elsewhere (KubeVela's older definitions, Kubernetes kinds), with the
    /// definition that does the job here: the did-you-mean for a type Tandem does not have.
    public let componentAliases: [String: String] = [
        "deployment": "webservice", "service": "webservice", "job": "task", "cronjob": "cron-task", "daemonset": "daemon",
        "stateful-set": "statefulset", "raw": "k8s-objects", "k8s-object": "k8s-objects",
    ]
    public let traitAliases: [String: String] = [
        "ingress": "gateway", "service": "expose", "autoscaler": "scaler", "replicas": "scaler", "volume": "storage",
        "volumes": "storage", "pvc": "storage", "configmap": "storage", "secret": "storage", "init-containers": "init-container",
        "serviceaccount": "service-account", "security-context": "securitycontext", "probe": "startup-probe",
    ]

    /// The component types a trait fits, by name.
    public func fittingTypes(_ trait: any TraitDefinition) -> [String] {
        componentNames.filter { components[$0].map(trait.appliesTo.fits) ?? false }
    }
}
