import TandemModel

/// `topology`: where a deploy step delivers the components. Tandem delivers to the cluster it
/// deploys to (KubeVela's `local`), in the namespace the policy names.
public struct TopologyPolicy: PolicyDefinition {
    public let name = "topology"
    public let description = "Where the components are deployed: the local cluster, and a namespace."
    public let stage = DeliveryStage.render

    public init() {}

    public let parameters = Schema.object("Parameters of the topology policy.", [
        .optional("clusters", .array(of: .string(format: .nonEmpty), "Clusters to deploy to; Tandem deploys to one, named local.")),
        .optional("clusterLabelSelector", .map(of: .string(), "Clusters to deploy to, by labels (multi-cluster; not supported yet).")),
        .optional("clusterSelector", .map(of: .string(), "Deprecated name of clusterLabelSelector.")),
        .optional("allowEmpty", .boolean("Accept a selection of no cluster.")),
        .optional("namespace", .string("The namespace to deploy to (default: the Application's).", format: .dns1123Label)),
    ])

    public let example = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: shop
          namespace: shop
        spec:
          components:
            - name: frontend
              type: webservice
              properties:
                image: example/shop:5
          policies:
            - name: staging
              type: topology
              properties:
                clusters: [local]
                namespace: shop-staging

        """

    /// The cluster name that means "the cluster Tandem deploys to".
    public static let localCluster = "local"
}
