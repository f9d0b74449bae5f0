import KubeModel
import TandemJSON
import TandemModel

/// `json-merge-patch`: an RFC 7396 merge into the workload.
public struct JSONMergePatchTrait: TraitDefinition {
    public let name = "json-merge-patch"
    public let description = "Merges an RFC 7396 JSON Merge Patch into the workload object (null removes a field)."
    public let appliesTo = TraitTarget.all

    public init() {}

    public let parameters = Schema.map(of: .any("Fields to merge into the workload."), "The merge patch: part of the workload object.")

    public let example = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: api
        spec:
          components:
            - name: server
              type: worker
              properties:
                image: example/api:3
              traits:
                - type: json-merge-patch
                  properties:
                    spec:
                      revisionHistoryLimit: 3
                      template:
                        spec:
                          terminationGracePeriodSeconds: 60

        """

    public func apply(_ properties: Parameters, to component: inout ComponentDraft, context: RenderContext) {
        // Lists in a merge patch replace lists wholesale: merging into the containers would drop them.
        if let containers = properties.values[path: (component.podSpecPath ?? []) + ["containers"]], component.podSpecPath != nil, containers.array != nil {
            context.scope.warning("this merge patch replaces the whole containers list", at: .root, code: .replacesList,
                                  hint: "use the json-patch trait to change one container")
        }
        let patched = JSONPatch.merge(properties.values, into: component.workload.json)
        if let problem = KubeObject.identityProblem(patched) {
            context.scope.error("the patched workload \(problem)", code: .invalidPatch,
                                hint: "a patch may change the workload, not stop it being a Kubernetes object")
            return
        }
        component.workload.json = patched
    }
}
