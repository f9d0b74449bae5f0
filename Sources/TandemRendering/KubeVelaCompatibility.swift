/// What the reference manual says about KubeVela: where Tandem renders differently on purpose,
/// and which of KubeVela's own examples it refuses, why, and with what diagnostic. The test suite
/// renders each of those examples (copied into the tests as fixtures) and checks that what is
/// written here is what Tandem says.
public enum KubeVelaCompatibility {
    /// One of KubeVela's examples that Tandem refuses on purpose.
    public struct Refusal: Sendable {
        /// The fixture's name in the tests' KubeVela folder.
        public var example: String
        /// Where it comes from in the kubevela/kubevela repository.
        public var source: String
        public var reason: String
        /// What `tandem render app.yaml` prints, exactly.
        public var diagnostics: String
    }

    /// Where Tandem renders what KubeVela's definitions render, differently on purpose.
    public static let differences: [String] = [
        "Workload selectors (and the Services of `webservice`, `daemon`, `statefulset`, `expose`) match `app.oam.dev/name` and `app.oam.dev/component`, so that components of two applications never select each other's pods. An Application annotated `tandem.oam.dev/selector-labels: component-only` gets KubeVela's component-only selectors, to take over workloads KubeVela created (their selectors are immutable).",
        "Unknown properties are errors, with a did-you-mean; KubeVela ignores them.",
        "Duplicate environment variable names, two probe handlers, mount paths used twice and the like are errors at render time; KubeVela leaves them to the API server.",
        "The `ingress` trait renders a `networking.k8s.io/v1` Ingress: the `v1beta1` one KubeVela's template writes was removed in Kubernetes 1.22.",
        "`cpuscaler` renders an `autoscaling/v2` HorizontalPodAutoscaler (KubeVela: `autoscaling/v1`), with the same target.",
        "`hpa` reads the memory target from `mem` (KubeVela's template reads it from `cpu`); an autoscaler's target is the component's workload, by its own name and kind, unless `targetKind` says otherwise.",
        "`affinity` takes `namespace` (one string) in a pod affinity term, as KubeVela does, and renders it as `namespaces: [namespace]` with a warning: KubeVela writes `namespace`, which Kubernetes does not have.",
        "A probe that names a port (`port: metrics`) its own container does not declare is an error at render time; KubeVela leaves it to the kubelet, whose probe then fails forever.",
        "`k8s-update-strategy` refuses a strategy the workload's kind does not have (KubeVela writes nothing, or a field the kind lacks).",
        "`storage` and `pvc` write a claim's `selector` as `selector` (KubeVela's `pvc` writes it as `dataSource`); a block device takes no `subPath`.",
        "`addRevisionLabel` labels the pods with `<component>-<hash of its properties and traits>`: it changes whenever the component does, as KubeVela's component revisions do.",
        "Policies that act while deploying (garbage-collect, apply-once, read-only, take-over, shared-resource, resource-update) are validated and kept for `tandem up`; `render` warns that they show in no object. Workflow steps that act while deploying (suspend, notification, webhook, depends-on-app, request, ...) run in the workflow of `tandem up` and the controller; `render` prints the objects of every step.",
        "Topology policies may name only the local cluster: multi-cluster delivery is not supported yet. Replication and workflow templates (`workflow.ref`) are refused.",
        "Tandem keeps no Application revisions: workloads get no `app.oam.dev/appRevision` label (KubeVela's controller writes `<application>-v1`, `-v2`, ...).",
        "Objects a trait adds are labelled with `trait.oam.dev/type` only; KubeVela also writes `trait.oam.dev/resource`, the name of the template's output (`service`, `ingress`, `hpa`).",
        "Tandem leaves out the empty fields KubeVela's templates write (`annotations: {}`, `args: []`, `env: []`, `capabilities: {}`); Kubernetes reads both the same.",
        "A `statefulset` names its governing Service in `serviceName` (the component's name; the Service exists when a port is exposed); KubeVela's writes no `serviceName`.",
        "`securitycontext` and `podsecuritycontext` with `runAsUser: 0` and no `runAsNonRoot` write `runAsNonRoot: false`: KubeVela keeps its default `true`, and the kubelet then never starts the pod. Both written is an error.",
        "`securitycontext` with `privileged: true` (or the `SYS_ADMIN` capability) and no `allowPrivilegeEscalation` writes `allowPrivilegeEscalation: true`: KubeVela keeps its default `false`, which the API server refuses beside them. Both written is an error.",
        "`gateway` writes one Service port per port, however many paths lead to it; KubeVela's template writes the port once per path, which the API server refuses.",
        "A `sidecar` volume the pod does not declare becomes an emptyDir that the main container mounts at the same path, so the two share it; KubeVela mounts a volume the pod lacks, which the API server refuses.",
        "Some built-ins take parameters KubeVela's definitions lack (`sidecar`'s `cpu`, `memory`, `ports`, `startupProbe`; `storage`'s `pvc[].storage`, short for `resources.requests.storage`); KubeVela ignores them.",
        "`resource` sets what is written: `cpu` or `memory` alone sets that one, as both request and limit, also beside `requests` and `limits`, and a `requests` or `limits` without `cpu` or `memory` leaves it out. KubeVela's template writes nothing unless `cpu` and `memory` are both given, ignores them beside `requests` or `limits`, and fills a missing half with 1 CPU or 2048Mi.",
    ]

    /// KubeVela's examples Tandem refuses, by fixture name.
    public static let refusals: [Refusal] = [
        Refusal(example: "component-webservice",
                source: "kubevela/kubevela@efc251caf2d0fd3617928a790de14ff2ed371e88 references/docgen/def-doc/component/webservice.eg.md",
                reason: "It sets the variable FOO twice (a value, then a Secret key). Kubernetes keeps the last and hides the first; Tandem refuses duplicate variable names so that the value a container gets is the one written.",
                diagnostics: """
            app.yaml:19:19: error: components[0].properties.env[1].name: duplicate name 'FOO'; it is already used by item 0 (line 17)

            """),
        Refusal(example: "policy-replication-1",
                source: "kubevela/kubevela@2b18dc41d2ae609632e33edf73e18ca172b7da6b references/docgen/def-doc/policy/replication.eg.md (YAML block 1 of 2)",
                reason: "A ComponentDefinition, not an Application: Tandem's component types are built in, and custom definitions are not supported.",
                diagnostics: """
            app.yaml:2:7: error: kind: this document is a ComponentDefinition (core.oam.dev/v1beta1), not an Application
              hint: tandem reads core.oam.dev/v1beta1 Application documents; render other objects with the k8s-objects component type

            """),
        Refusal(example: "policy-replication-2",
                source: "kubevela/kubevela@2b18dc41d2ae609632e33edf73e18ca172b7da6b references/docgen/def-doc/policy/replication.eg.md (YAML block 2 of 2)",
                reason: "It uses the custom component type `replica-webservice` (defined in the previous example) and the replication policy, which needs component types that read `context.replicaKey`.",
                diagnostics: """
            app.yaml:8:13: error: components[0].type: unknown component type 'replica-webservice'
              hint: known component types: cron-task, daemon, k8s-objects, raw, statefulset, task, webservice, worker

            """),
        Refusal(example: "policy-take-over",
                source: "kubevela/kubevela@d988a6b6120aa6bfaeb65df80e57162e337f08d1 references/docgen/def-doc/policy/take-over.eg.md",
                reason: "Its Deployment has only a name, for KubeVela to adopt the live object as it is. Tandem applies the objects it renders whole, and Kubernetes accepts no Deployment without a spec: write the Deployment out in full (take-over then lets Tandem adopt it).",
                diagnostics: """
            app.yaml:11:13: error: components[0].properties.objects[0]: missing required property 'spec'
            app.yaml:16:13: warning: policies[0].type: the take-over policy takes effect at deploy time; the rendered objects do not show it

            """),
        Refusal(example: "policy-topology-1",
                source: "kubevela/kubevela@cae4aa4a76080663a17f40326dd0017493d4cf73 references/docgen/def-doc/policy/topology.eg.md (YAML block 1 of 3)",
                reason: "The topology names clusters other than the local one: multi-cluster delivery is not supported yet.",
                diagnostics: """
            app.yaml:16:20: error: policies[0].properties.clusters[0]: cluster 'hangzhou-1' is not the local cluster; multi-cluster delivery is not supported yet
              hint: Tandem deploys to the cluster of the current kubeconfig context, which KubeVela calls local

            """),
        Refusal(example: "policy-topology-2",
                source: "kubevela/kubevela@cae4aa4a76080663a17f40326dd0017493d4cf73 references/docgen/def-doc/policy/topology.eg.md (YAML block 2 of 3)",
                reason: "The topology selects clusters by labels: multi-cluster delivery is not supported yet.",
                diagnostics: """
            app.yaml:17:11: error: policies[0].properties.clusterLabelSelector: the topology selects clusters by labels; multi-cluster delivery is not supported yet
              hint: Tandem deploys to the cluster of the current kubeconfig context: write clusters: [local]

            """),
        Refusal(example: "step-depends-on-app-2",
                source: "kubevela/kubevela@efc251caf2d0fd3617928a790de14ff2ed371e88 references/docgen/def-doc/workflowstep/depends-on-app.eg.md (YAML block 2 of 2)",
                reason: "A ConfigMap, shown to explain where the step reads an Application from, not an Application itself.",
                diagnostics: """
            app.yaml:2:7: error: kind: this document is a ConfigMap (v1), not an Application
              hint: tandem reads core.oam.dev/v1beta1 Application documents; render other objects with the k8s-objects component type

            """),
        Refusal(example: "step-deploy",
                source: "kubevela/kubevela@8dcbb3aee01ba3c13854b3fd6dfd82f6bc1a1b43 references/docgen/def-doc/workflowstep/deploy.eg.md",
                reason: "The second deploy step's topology selects clusters by labels: multi-cluster delivery is not supported yet.",
                diagnostics: """
            app.yaml:17:11: error: policies[0].properties.clusterLabelSelector: the topology selects clusters by labels; multi-cluster delivery is not supported yet
              hint: Tandem deploys to the cluster of the current kubeconfig context: write clusters: [local]

            """),
        Refusal(example: "step-notification",
                source: "kubevela/kubevela@8dcbb3aee01ba3c13854b3fd6dfd82f6bc1a1b43 references/docgen/def-doc/workflowstep/notification.eg.md",
                reason: "Its values are placeholders (`<secret-key>` is no Secret name; the email port `<email port, optional, default to 587>` is no number, which KubeVela refuses too), and Tandem does not send email.",
                diagnostics: """
            app.yaml:12:13: warning: components[0].properties.port: port is deprecated; it still declares container port 8000, without a Service
              hint: write ports: [{port: 8000}] instead (add expose: true for a Service)
            app.yaml:16:9: warning: components[0].traits[0].properties: the ingress trait is deprecated; it is still rendered, as a networking.k8s.io/v1 Ingress
              hint: write type: gateway with the same domain and http
            app.yaml:41:23: error: workflow.steps[2].properties.slack.url.secretRef.name: '<secret-key>' is not a valid DNS-1123 subdomain: it must consist of lowercase letters, digits, '-' and '.'
            app.yaml:52:13: error: workflow.steps[2].properties.email: tandem does not send email
              hint: send the message to slack, dingding or lark
            app.yaml:61:21: error: workflow.steps[2].properties.email.from.port: expected an integer, found a string ('<email port, optional, default to 587>')

            """),
        Refusal(example: "step-suspend",
                source: "kubevela/kubevela@81594674aa28bb7847f9447f0626804436099a22 references/docgen/def-doc/workflowstep/suspend.eg.md",
                reason: "It uses `webhook-notification`, the step KubeVela renamed `notification`.",
                diagnostics: """
            app.yaml:12:13: warning: components[0].properties.port: port is deprecated; it still declares container port 8000, without a Service
              hint: write ports: [{port: 8000}] instead (add expose: true for a Service)
            app.yaml:16:15: error: workflow.steps[0].type: unknown workflow step type 'webhook-notification'; did you mean 'notification'?

            """),
        Refusal(example: "step-webhook",
                source: "kubevela/kubevela@b8063b5c795d7b244746d8a23f33765ef605bab1 references/docgen/def-doc/workflowstep/webhook.eg.md",
                reason: "`timeout` is written under the step's properties, where KubeVela ignores it: it belongs to the step.",
                diagnostics: """
            app.yaml:12:13: warning: components[0].properties.port: port is deprecated; it still declares container port 8000, without a Service
              hint: write ports: [{port: 8000}] instead (add expose: true for a Service)
            app.yaml:22:11: error: workflow.steps[1].properties.timeout: unknown property 'timeout'
              hint: 'timeout' belongs to the step, one level up: indent it like 'properties', not under it

            """),
        Refusal(example: "trait-cpuscaler",
                source: "kubevela/kubevela@46c8f104c38fed2a3eb59977e5e8469ac88917f3 references/docgen/def-doc/trait/cpuscaler.eg.md",
                reason: "`cpuPercent` is not a parameter of cpuscaler (`cpuUtil` is): KubeVela ignores it and scales at its default, 50%.",
                diagnostics: """
            app.yaml:16:13: error: components[0].traits[0].properties.cpuPercent: unknown property 'cpuPercent'
              hint: known properties: min, max, cpuUtil, targetAPIVersion, targetKind

            """),
        Refusal(example: "trait-ingress",
                source: "kubevela/kubevela@4bdff225ba29ed3ae8448cf8aa6eeed65ed0ace1 references/docgen/def-doc/trait/ingress.eg.md",
                reason: "The document has no apiVersion, which Kubernetes (and KubeVela) require.",
                diagnostics: """
            app.yaml:1:1: error: missing required property 'apiVersion'
            app.yaml:10:15: warning: components[0].properties.port: port is deprecated; it still declares container port 8000, without a Service
              hint: write ports: [{port: 8000}] instead (add expose: true for a Service)

            """),
        Refusal(example: "trait-topologyspreadconstraints",
                source: "kubevela/kubevela@a19ed0b510b8428074e339d3167215f05590d1d8 references/docgen/def-doc/trait/topologyspreadconstraints.eg.md",
                reason: "The second constraint sets `minDomains` with `whenUnsatisfiable: ScheduleAnyway`, which the API server refuses.",
                diagnostics: """
            app.yaml:36:25: error: components[0].traits[0].properties.constraints[1].minDomains: minDomains applies only with whenUnsatisfiable: DoNotSchedule
              hint: Kubernetes refuses it with ScheduleAnyway: remove minDomains, or use DoNotSchedule

            """),
        Refusal(example: "usage-application-with-configmap",
                source: "kubevela/kubevela@534469b9f85344d58e29db6a24e207f6946d7b11 vela-templates/definitions/usage-examples/application-with-configmap.yaml",
                reason: "It uses the `configmap` trait, which KubeVela replaced with `storage`, and its second document is a ConfigMap, not an Application.",
                diagnostics: """
            app.yaml:18:17: error: components[0].traits[1].type: unknown trait type 'configmap'; did you mean 'storage'?
            app.yaml:31:7: error: kind: this document is a ConfigMap (v1), not an Application
              hint: tandem reads core.oam.dev/v1beta1 Application documents; render other objects with the k8s-objects component type

            """),
        Refusal(example: "usage-application-with-topologyspreadconstraints",
                source: "kubevela/kubevela@66bffabc1b202ee01498042392b0541d5bf11cec vela-templates/definitions/usage-examples/application-with-topologyspreadconstraints.yaml",
                reason: "The second constraint sets `minDomains` with `whenUnsatisfiable: ScheduleAnyway`, which the API server refuses.",
                diagnostics: """
            app.yaml:36:25: error: components[0].traits[0].properties.constraints[1].minDomains: minDomains applies only with whenUnsatisfiable: DoNotSchedule
              hint: Kubernetes refuses it with ScheduleAnyway: remove minDomains, or use DoNotSchedule

            """),
    ]

    /// The page `docs/reference/kubevela.md`.
    static func page() -> String {
        var text = """
            # KubeVela compatibility

            Generated by `tandem docs`; do not edit by hand.

            Tandem accepts KubeVela's Applications: its component types, traits, policies and workflow steps
            take KubeVela's parameters, with KubeVela's defaults, and render what KubeVela's definitions
            render. Parameters KubeVela calls deprecated still work, with a warning that says what to write
            instead. The test suite renders KubeVela's own documentation examples and usage examples and
            checks the objects with `kubernetes-validate --strict`.

            ## Deliberate differences


            """
        for difference in differences { text += "- \(difference)\n" }
        text += "\n## KubeVela's examples that Tandem refuses\n\n"
        for refusal in refusals {
            text += "### `\(refusal.example)`\n\nFrom `\(refusal.source)`. \(refusal.reason)\n\n```\n\(refusal.diagnostics)```\n\n"
        }
        return text
    }
}
