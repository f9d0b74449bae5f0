import Synchronization
import TandemCUE

/// KubeVela's provider packages as a workflow step's template imports them: each action is a
/// definition whose `#provider` and `#do` name what runs it, with its inputs in `$params` and
/// its results filled into `$returns` (the older `vela/op` keeps inputs and results side by side).
/// A `vela/...` package Tandem does not run gets the actions the template names, marked so that
/// reaching one refuses the step, naming the provider.
enum WorkflowProviderPackages {
    /// The packages whose actions Tandem runs.
    static let supported: Set<String> = ["vela/kube", "vela/builtin", "vela/http", "vela/util", "vela/op"]

    /// The definitions `vela/op` gives; other names a template uses from it are refused.
    static let opActions: Set<String> = [
        "#Apply", "#ApplyInParallel", "#Patch", "#Read", "#List", "#Delete", "#ConditionalWait", "#Suspend", "#Fail", "#Message",
        "#Log", "#Steps", "#Do", "#HTTPDo", "#HTTPGet", "#HTTPPost", "#HTTPPut", "#HTTPDelete", "#ConvertString", "#PatchK8sObject",
        "#Slack", "#DingTalk", "#Lark",
    ]

    /// The provider that runs the actions of `vela/op` Tandem does not run, as KubeVela names it.
    static let opProviders: [String: String] = [
        "#GetPlacementsFromTopologyPolicies": "multicluster", "#Deploy": "multicluster", "#DeployCloudResource": "terraform",
        "#ShareCloudResource": "terraform", "#Load": "oam", "#CreateConfig": "config", "#DeleteConfig": "config",
        "#ReadConfig": "config", "#ListConfig": "config", "#SendEmail": "email", "#DateToTimestamp": "time",
        "#TimestampToDate": "time", "#ApplyComponent": "oam", "#ApplyApplication": "oam", "#ApplyApplicationInParallel": "oam",
        "#ApplyRemaining": "oam", "#ApplyEnvBindApp": "multicluster", "#ListClusters": "multicluster",
    ]

    private static let parsed = Mutex<[String: CUEFile]>([:])

    /// The packages for a template: the supported ones it imports, and for any other `vela/...`
    /// import a package of the actions `templateText` uses from it.
    static func packages(for template: CUEFile, templateText: String) throws(CUESyntaxErrors) -> [String: [CUEFile]] {
        var packages: [String: [CUEFile]] = [:]
        for item in template.imports where item.path.hasPrefix("vela/") {
            var files: [CUEFile] = []
            if let source = sources[item.path] { files.append(try file(item.path, source)) }
            let known = item.path == "vela/op" ? opActions : (sources[item.path] == nil ? [] : nil)
            if let known {
                let provider = String(item.path.dropFirst("vela/".count))
                let unknown = usedActions(of: item.name, in: templateText).filter { !known.contains($0) }
                if !unknown.isEmpty {
                    let text = unknown.map { name in
                        "\(name): {#do: \"\(name.dropFirst())\", #provider: \"\(opProviders[name] ?? provider)\", #refused: \"\(item.path)\", ...}"
                    }.joined(separator: "\n")
                    files.append(try CUEFile.parse(source: text, file: item.path))
                }
            }
            packages[item.path] = files
        }
        return packages
    }

    /// The names `alias.#Name` in the template's text.
    static func usedActions(of alias: String, in text: String) -> [String] {
        var names: [String] = []
        let characters = Array(text.utf8)
        let prefix = Array((alias + ".#").utf8)
        var index = 0
        while index + prefix.count <= characters.count {
            let before = index == 0 ? UInt8(ascii: " ") : characters[index - 1]
            if Array(characters[index..<index + prefix.count]) == prefix, !isIdentifier(before) {
                var end = index + prefix.count
                while end < characters.count, isIdentifier(characters[end]) { end += 1 }
                let name = "#" + String(decoding: characters[(index + prefix.count)..<end], as: UTF8.self)
                if name.count > 1, !names.contains(name) { names.append(name) }
                index = end
            } else {
                index += 1
            }
        }
        return names
    }

    private static func isIdentifier(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$")
    }

    private static func file(_ path: String, _ source: String) throws(CUESyntaxErrors) -> CUEFile {
        if let cached = parsed.withLock({ $0[path] }) { return cached }
        let file = try CUEFile.parse(source: source, file: path)
        parsed.withLock { $0[path] = file }
        return file
    }

    static let sources: [String: String] = [
        "vela/kube": kube, "vela/builtin": builtin, "vela/http": http, "vela/util": util, "vela/op": op,
    ]

    static let kube = """
        package kube

        // Server-side apply of value (after patch, if any); $returns.value is the live object.
        #Apply: {
            #do: "apply", #provider: "kube"
            $params: {cluster: *"" | string, value: {...}, patch?: {...}}
            $returns?: {value?: {...}, err?: string}
            ...
        }
        // The live object with patch merged in (as a trait's patch is), applied; $returns.result.
        #Patch: {
            #do: "patch", #provider: "kube"
            $params: {cluster: *"" | string, value: {...}, patch: {...}}
            $returns?: {result?: {...}}
            ...
        }
        #ApplyInParallel: {
            #do: "apply-in-parallel", #provider: "kube"
            $params: {cluster: *"" | string, value: [...{...}]}
            $returns?: {value?: [...{...}]}
            ...
        }
        // The live object read, or err when it cannot be read (not found included).
        #Read: {
            #do: "read", #provider: "kube"
            $params: {cluster: *"" | string, value: {...}}
            $returns?: {value?: {...}, err?: string}
            ...
        }
        #List: {
            #do: "list", #provider: "kube"
            $params: {
                cluster: *"" | string
                resource: {apiVersion: string, kind: string}
                filter?: {namespace: *"" | string, matchingLabels?: {...}}
            }
            $returns?: {values?: {...}, err?: string}
            ...
        }
        // Deletes value, or with filter every object of its kind the filter selects.
        #Delete: {
            #do: "delete", #provider: "kube"
            $params: {
                cluster: *"" | string
                value: {apiVersion: string, kind: string, metadata: {name?: string, namespace: *"default" | string, ...}, ...}
                filter?: {namespace?: string, matchingLabels?: {...}}
            }
            $returns?: {value?: {...}, err?: string}
            ...
        }
        """

    static let builtin = """
        package builtin

        // The step waits until continue is true.
        #ConditionalWait: {
            #do: "wait", #provider: "builtin"
            $params: {continue: *false | bool, message?: string}
            ...
        }
        // The workflow suspends after this step, until resumed or for duration.
        #Suspend: {
            #do: "suspend", #provider: "builtin"
            $params: {duration?: string, message?: string}
            ...
        }
        #Fail: {
            #do: "fail", #provider: "builtin"
            $params: {message?: string}
            ...
        }
        // The message shown in the step's status.
        #Message: {
            #do: "message", #provider: "builtin"
            $params: {message?: string}
            ...
        }
        #Steps: {...}
        """

    static let http = """
        package http

        #HTTPDo: {
            #do: "do", #provider: "http"
            $params: {
                method: *"GET" | "POST" | "PUT" | "DELETE"
                url: string
                request?: {
                    timeout?: string
                    body?: string
                    header?: [string]: string
                    trailer?: [string]: string
                    ratelimiter?: {limit: int, period: string}
                    headersFromSecret?: [...{name: string, secret: string, key: string}]
                    ...
                }
                tls_config?: {secret: string, namespace?: string}
            }
            $returns?: {
                body: string
                header?: [string]: [...string]
                trailer?: [string]: [...string]
                statusCode: int
                ...
            }
            ...
        }
        #Do: #HTTPDo
        #HTTPGet: #HTTPDo & {$params: method: "GET"}
        #HTTPPost: #HTTPDo & {$params: method: "POST"}
        #HTTPPut: #HTTPDo & {$params: method: "PUT"}
        #HTTPDelete: #HTTPDo & {$params: method: "DELETE"}
        """

    static let util = """
        package util

        // The bytes as a string.
        #ConvertString: {
            #do: "string", #provider: "util"
            $params: {bt: bytes}
            $returns?: {str: string}
            ...
        }
        #String: #ConvertString
        // value with patch merged in as a trait's patch is; $returns.result.
        #PatchK8sObject: {
            #do: "patch-k8s-object", #provider: "util"
            $params: {value: {...}, patch: {...}}
            $returns?: {result: {...}}
            ...
        }
        // A line for the step's log.
        #Log: {
            #do: "log", #provider: "util"
            $params: {
                data?: {...} | string
                level: *3 | int
                source?: {...}
            }
            ...
        }
        """

    /// The older form: an action's inputs and results are its own fields (`value`, `response`, `str`, ...).
    static let op = """
        package op

        import "encoding/json"

        #Apply: {#do: "apply", #provider: "kube", #legacy: true, cluster: *"" | string, value: {...}, patch?: {...}, ...}
        #Patch: {#do: "patch", #provider: "kube", #legacy: true, cluster: *"" | string, value: {...}, patch: {...}, result?: {...}, ...}
        #ApplyInParallel: {#do: "apply-in-parallel", #provider: "kube", #legacy: true, cluster: *"" | string, value: [...{...}], ...}
        #Read: {#do: "read", #provider: "kube", #legacy: true, cluster: *"" | string, value?: {...}, err?: string, ...}
        #List: {
            #do: "list", #provider: "kube", #legacy: true
            cluster: *"" | string
            resource: {apiVersion: string, kind: string}
            filter?: {namespace?: *"" | string, matchingLabels?: {...}}
            list?: {...}
            ...
        }
        #Delete: {
            #do: "delete", #provider: "kube", #legacy: true
            cluster: *"" | string
            value: {apiVersion: string, kind: string, metadata: {name?: string, namespace: *"default" | string, ...}, ...}
            filter?: {namespace?: string, matchingLabels?: {...}}
            ...
        }
        #ConditionalWait: {#do: "wait", #provider: "builtin", #legacy: true, continue: bool, message?: string, ...}
        #Suspend: {#do: "suspend", #provider: "builtin", #legacy: true, duration?: string, message?: string, ...}
        #Fail: {#do: "fail", #provider: "builtin", #legacy: true, message?: string, ...}
        #Message: {#do: "message", #provider: "builtin", #legacy: true, message?: string, ...}
        #Steps: {#do: "steps", ...}
        #Do: {
            #do: "do", #provider: "http", #legacy: true
            method: *"GET" | "POST" | "PUT" | "DELETE"
            url: string
            request?: {timeout?: string, body?: string, header?: [string]: string, trailer?: [string]: string, ...}
            tls_config?: {secret: string, namespace?: string}
            response?: {body: string, header?: [string]: [...string], trailer?: [string]: [...string], statusCode: int, ...}
            ...
        }
        #HTTPDo: #Do
        #HTTPGet: #Do & {method: "GET"}
        #HTTPPost: #Do & {method: "POST"}
        #HTTPPut: #Do & {method: "PUT"}
        #HTTPDelete: #Do & {method: "DELETE"}
        // A message posted to a chat's incoming webhook.
        #Slack: #Steps & {message: {...}, slackUrl: string, do: #Do & {method: "POST", url: slackUrl, request: {body: json.Marshal(message), header: "Content-Type": "application/json"}}}
        #DingTalk: #Steps & {message: {...}, dingUrl: string, do: #Do & {method: "POST", url: dingUrl, request: {body: json.Marshal(message), header: "Content-Type": "application/json"}}}
        #Lark: #Steps & {message: {...}, larkUrl: string, do: #Do & {method: "POST", url: larkUrl, request: {body: json.Marshal(message), header: "Content-Type": "application/json"}}}
        #ConvertString: {#do: "string", #provider: "util", #legacy: true, bt: bytes, str?: string, ...}
        #PatchK8sObject: {#do: "patch-k8s-object", #provider: "util", #legacy: true, value: {...}, patch: {...}, result?: {...}, ...}
        #Log: {#do: "log", #provider: "util", #legacy: true, data?: {...} | string, level: *3 | int, source?: {...}, ...}
        """
}
