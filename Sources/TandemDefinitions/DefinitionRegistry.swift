/// The component types, traits, policies and workflow steps Tandem knows, by name.
public struct DefinitionRegistry: Sendable {
    public private(set) var components: [String: any ComponentDefinition] = [:]
    public private(set) var traits: [String: any TraitDefinition] = [:]
    public private(set) var policies: [String: any PolicyDefinition] = [:]
    public private(set) var workflowSteps: [String: any WorkflowStepDefinition] = [:]
    public let componentNames: [String]
    public let traitNames: [String]
    public let policyNames: [String]
    public let workflowStepNames: [String]

    public init(components: [any ComponentDefinition], traits: [any TraitDefinition],
                policies: [any PolicyDefinition] = [], workflowSteps: [any WorkflowStepDefinition] = []) {
        for component in components { self.components[component.name] = component }
        for trait in traits { self.traits[trait.name] = trait }
        for policy in policies { self.policies[policy.name] = policy }
        for step in workflowSteps { self.workflowSteps[step.name] = step }
        componentNames = self.components.keys.sorted()
        traitNames = self.traits.keys.sorted()
        policyNames = self.policies.keys.sorted()
        workflowStepNames = self.workflowSteps.keys.sorted()
    }

    /// Every built-in definition. Adding a definition is one file plus one entry here.
    public static let builtIn = DefinitionRegistry(
        components: [WorkerComponent(), WebserviceComponent(), TaskComponent(), CronTaskComponent(), DaemonComponent(),
                     StatefulSetComponent(), KubernetesObjectsComponent(), RawComponent()],
        traits: [SidecarTrait(), InitContainerTrait(), ScalerTrait(), LabelsTrait(), AnnotationsTrait(), EnvTrait(), ResourceTrait(),
                 CommandTrait(), ContainerImageTrait(), ContainerPortsTrait(), ExposeTrait(), GatewayTrait(), HostAliasTrait(),
                 ServiceAccountTrait(), SecurityContextTrait(), PodSecurityContextTrait(), StartupProbeTrait(), LifecycleTrait(),
                 AffinityTrait(), StorageTrait(), JSONPatchTrait(), JSONMergePatchTrait(), HPATrait(), CPUScalerTrait(),
                 UpdateStrategyTrait(), TopologySpreadConstraintsTrait(), IngressTrait(), Ingress120Trait(), PVCTrait()],
        policies: [TopologyPolicy(), OverridePolicy(), GarbageCollectPolicy(), ApplyOncePolicy(), ReadOnlyPolicy(), TakeOverPolicy(),
                   SharedResourcePolicy(), ResourceUpdatePolicy(), ReplicationPolicy()],
        workflowSteps: [DeployStep(), ApplyComponentStep(), ApplyApplicationStep(), StepGroupStep(), SuspendStep(), DependsOnAppStep(),
                        NotificationStep(), WebhookStep(), RequestStep(), ApplyObjectStep(), ReadObjectStep(), Export2ConfigStep(),
                        Export2SecretStep(), PrintMessageInStatusStep()])

    /// Names users bring from elsewhere (KubeVela's older definitions, Kubernetes kinds), with the
    /// definition that does the job here: the did-you-mean for a type Tandem does not have.
    public let componentAliases: [String: String] = [
        "deployment": "webservice", "service": "webservice", "job": "task", "cronjob": "cron-task", "daemonset": "daemon",
        "stateful-set": "statefulset", "k8s-object": "k8s-objects",
    ]
    public let traitAliases: [String: String] = [
        "service": "expose", "autoscaler": "hpa", "replicas": "scaler", "volume": "storage", "volumes": "storage",
        "configmap": "storage", "secret": "storage", "init-containers": "init-container", "serviceaccount": "service-account",
        "security-context": "securitycontext", "probe": "startup-probe", "pure-ingress": "gateway", "node-affinity": "affinity",
    ]
    public let policyAliases: [String: String] = ["env-binding": "topology", "envbinding": "topology"]
    public let workflowStepAliases: [String: String] = ["webhook-notification": "notification", "apply-deployment": "apply-component"]

    /// The component types a trait fits, by name.
    public func fittingTypes(_ trait: any TraitDefinition) -> [String] {
        componentNames.filter { components[$0].map(trait.appliesTo.fits) ?? false }
    }
}
