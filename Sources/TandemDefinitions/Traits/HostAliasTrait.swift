import KubeModel
import TandemJSON
import TandemModel

/// `hostalias`: entries in the pods' /etc/hosts.
public struct HostAliasTrait: TraitDefinition {
    public let name = "hostalias"
    public let description = "Adds entries to the pods' /etc/hosts."
    public let appliesTo = TraitTarget.podTemplate

    public init() {}

    public let parameters = Schema.object("Parameters of the hostalias trait.", [
        .required("hostAliases", PodTemplate.hostAliases),
    ])

    public let example = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: legacy
        spec:
          components:
            - name: client
              type: worker
              properties:
                image: example/client:1
              traits:
                - type: hostalias
                  properties:
                    hostAliases:
                      - {ip: 10.0.0.12, hostnames: [billing.internal, billing]}

        """

    public func apply(_ properties: Parameters, to component: inout ComponentDraft, context: RenderContext) {
        component.editPodSpec { pod in
            var aliases = pod.json["hostAliases"]?.array ?? []
            for alias in properties["hostAliases"]?.array ?? [] {
                // Entries for an IP already listed are merged, as KubeVela merges them by ip.
                if let index = aliases.firstIndex(where: { $0["ip"] == alias["ip"] }) {
                    let names = (aliases[index]["hostnames"]?.strings ?? [])
                    let added = (alias["hostnames"]?.strings ?? []).filter { !names.contains($0) }
                    aliases[index]["hostnames"] = .array((names + added).map(JSONValue.string))
                } else {
                    aliases.append(alias)
                }
            }
            pod.json["hostAliases"] = .array(aliases)
        }
    }
}
