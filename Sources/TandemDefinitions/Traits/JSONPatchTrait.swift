import KubeModel
import TandemJSON
import TandemModel

/// `json-patch`: RFC 6902 operations on the workload, for fields no trait covers.
public struct JSONPatchTrait: TraitDefinition {
    public let name = "json-patch"
    public let description = "Applies RFC 6902 JSON Patch operations to the workload object."
    public let appliesTo = TraitTarget.all

    public init() {}

    public let parameters = Schema.object("Parameters of the json-patch trait.", [
        .required("operations", .array(of: .object("An operation.", [
            .required("op", .oneOf(["add", "remove", "replace", "move", "copy", "test"], "The operation.")),
            .required("path", .string("JSON Pointer to the target, such as /spec/template/spec/priorityClassName.", format: .jsonPointer)),
            .optional("from", .string("JSON Pointer to the source, for move and copy.", format: .jsonPointer)),
            .optional("value", .any("The value, for add, replace and test.")),
        ]), "The operations, applied in order.", minItems: 1)),
    ])

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
                - type: json-patch
                  properties:
                    operations:
                      - op: add
                        path: /spec/template/spec/priorityClassName
                        value: high-priority
                      - op: add
                        path: /spec/minReadySeconds
                        value: 10

        """

    public func apply(_ properties: Parameters, to component: inout ComponentDraft, context: RenderContext) {
        let bounds = JSONPatch.Bounds(maxNodes: context.limits.maxPatchNodes, maxDepth: context.limits.maxPatchDepth)
        switch JSONPatch.apply(properties.list("operations"), to: component.workload.json, bounds: bounds) {
        case .success(let patched):
            if let problem = KubeObject.identityProblem(patched) {
                context.scope.error("the patched workload \(problem)", at: ["operations"], code: .invalidPatch,
                                    hint: "a patch may change the workload, not stop it being a Kubernetes object")
                return
            }
            component.workload.json = patched
        case .failure(let failure):
            context.scope.error("cannot apply the patch: \(failure)", at: ["operations", .index(failure.operation)], code: .invalidPatch,
                                hint: "paths refer to the workload as the component and the traits before this one render it")
        }
    }
}
