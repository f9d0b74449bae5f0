import KubeModel
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
            .required("path", .string("JSON Pointer to the target, such as /spec/template/spec/priorityClassName.")),
            .optional("from", .string("JSON Pointer to the source, for move and copy.")),
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

    public func apply(_ properties: JSONValue, to component: inout RenderedComponent, context: RenderContext) {
        switch JSONPatch.apply(properties["operations"]?.array ?? [], to: component.workload.json) {
        case .success(let patched):
            if let problem = KubeObject.identityProblem(patched) {
                context.scope.error("the patched workload \(problem)", at: ["operations"], code: "invalid-patch",
                                    hint: "a patch may change the workload, not stop it being a Kubernetes object")
                return
            }
            component.workload.json = patched
        case .failure(let failure):
            let index = Int(failure.message.split(separator: " ").dropFirst().first?.dropLast() ?? "") ?? 0
            context.scope.error("cannot apply the patch: \(failure.message)", at: ["operations", .index(index)], code: "invalid-patch",
                                hint: "paths refer to the workload as rendered so far: tandem render shows it")
        }
    }
}

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

    public func apply(_ properties: JSONValue, to component: inout RenderedComponent, context: RenderContext) {
        // Lists in a merge patch replace lists wholesale: merging into the containers would drop them.
        if let containers = properties[path: (component.podSpecPath ?? []) + ["containers"]], component.podSpecPath != nil, containers.array != nil {
            context.scope.warning("this merge patch replaces the whole containers list", at: .root, code: "replaces-list",
                                  hint: "use the json-patch trait to change one container")
        }
        let patched = JSONPatch.merge(properties, into: component.workload.json)
        if let problem = KubeObject.identityProblem(patched) {
            context.scope.error("the patched workload \(problem)", code: "invalid-patch",
                                hint: "a patch may change the workload, not stop it being a Kubernetes object")
            return
        }
        component.workload.json = patched
    }
}
