import Foundation
/// A new definition in the `vela def` file form: a working start for each kind.
public enum DefinitionScaffold {
    public static func text(name: String, kind: DefinitionKind, description: String) -> String {
        let header = """
            "\(name)": {
            \ttype:        "\(kind.rawValue)"
            \tdescription: "\(description.isEmpty ? "My \(kind.rawValue)." : description.replacingOccurrences(of: "\"", with: "\\\""))"
            \tattributes: {}
            }

            """
        switch kind {
        case .component:
            return header + """
                template: {
                \toutput: {
                \t\tapiVersion: "apps/v1"
                \t\tkind:       "Deployment"
                \t\tspec: {
                \t\t\tselector: matchLabels: "app.oam.dev/component": context.name
                \t\t\ttemplate: {
                \t\t\t\tmetadata: labels: "app.oam.dev/component": context.name
                \t\t\t\tspec: containers: [{
                \t\t\t\t\tname:  context.name
                \t\t\t\t\timage: parameter.image
                \t\t\t\t}]
                \t\t\t}
                \t\t}
                \t}
                \tparameter: {
                \t\t// +usage=The container image
                \t\timage: *"nginx:1.27" | string
                \t}
                }

                """
        case .trait:
            return header + """
                template: {
                \tpatch: spec: template: metadata: labels: parameter.labels
                \tparameter: {
                \t\t// +usage=Labels to add to the pods
                \t\tlabels: *{"team": "platform"} | {[string]: string}
                \t}
                }

                """
        case .workflowStep:
            // A step acts through KubeVela's providers: here it waits until a ConfigMap exists.
            return "import (\n\t\"vela/kube\"\n\t\"vela/builtin\"\n)\n\n" + header + """
                template: {
                	read: kube.#Read & {
                		$params: value: {
                			apiVersion: "v1"
                			kind:       "ConfigMap"
                			metadata: {
                				name:      parameter.configMap
                				namespace: context.namespace
                			}
                		}
                	}
                	wait: builtin.#ConditionalWait & {
                		$params: {
                			continue: read.$returns.err == _|_
                			message:  "Waiting for the ConfigMap \\(parameter.configMap)"
                		}
                	}
                	parameter: {
                		// +usage=The ConfigMap to wait for
                		configMap: *"settings" | string
                	}
                }

                """
        case .policy:
            return header + """
                template: {
                \tparameter: {
                \t\t// +usage=What it is for
                \t\tmessage: *"hello" | string
                \t}
                }

                """
        }
    }
}
