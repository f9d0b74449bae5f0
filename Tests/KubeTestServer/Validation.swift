import TandemJSON

/// The checks of the real server that clients most often meet: names, workload selectors and
/// containers, Job restart policies, immutable fields, finalizers during deletion. Everything
/// else is accepted as sent.
enum Validation {
    static func validate(_ type: ResourceType, _ object: JSONValue, old: JSONValue?) throws(APIError) {
        let name = object[path: ["metadata", "name"]]?.string ?? ""
        var causes: [APIError.Cause] = []
        if old == nil, let problem = nameProblem(name, kind: type.kind) {
            causes.append(.invalid("metadata.name", value: goQuote(name), problem))
        }
        if let old {
            let before = Set(old[path: ["metadata", "finalizers"]]?.strings ?? [])
            let after = object[path: ["metadata", "finalizers"]]?.strings ?? []
            if old[path: ["metadata", "deletionTimestamp"]] != nil, after.contains(where: { !before.contains($0) }) {
                causes.append(.forbidden("metadata.finalizers", "no new finalizers can be added if the object is being deleted, found new finalizers []string{\(after.filter { !before.contains($0) }.map(goQuote).joined(separator: ", "))}"))
            }
        }
        switch (type.group, type.kind) {
        case ("apps", "Deployment"), ("apps", "ReplicaSet"), ("apps", "StatefulSet"), ("apps", "DaemonSet"):
            causes += workloadCauses(object, old: old, kind: type.kind)
        case ("batch", "Job"):
            causes += podSpecCauses(object[path: ["spec", "template", "spec"]], path: "spec.template.spec")
            let policy = object[path: ["spec", "template", "spec", "restartPolicy"]]?.string
            if policy != "OnFailure" && policy != "Never" {
                if let policy {
                    causes.append(.notSupported("spec.template.spec.restartPolicy", value: goQuote(policy), supported: ["OnFailure", "Never"]))
                } else {
                    causes.append(.required("spec.template.spec.restartPolicy", "valid values: \"OnFailure\", \"Never\""))
                }
            }
            if let old, !sameValue(old[path: ["spec", "template"]], object[path: ["spec", "template"]]) {
                causes.append(.invalid("spec.template", value: "core.PodTemplateSpec{...}", "field is immutable"))
            }
        case ("", "Pod"):
            causes += podSpecCauses(object["spec"], path: "spec")
        case ("", "Service"):
            if let old, let before = old[path: ["spec", "clusterIP"]]?.string, let after = object[path: ["spec", "clusterIP"]]?.string,
               before != after {
                causes.append(.invalid("spec.clusterIPs[0]", value: "[]string{\(goQuote(after))}", "may not change once set"))
            }
        default:
            break
        }
        if !causes.isEmpty { throw APIError.invalid(kind: type.kind, group: type.group, name: name, causes) }
    }

    private static func workloadCauses(_ object: JSONValue, old: JSONValue?, kind: String) -> [APIError.Cause] {
        var causes: [APIError.Cause] = []
        let selector = object[path: ["spec", "selector"]]
        let labels = LabelSelector.labels(of: object[path: ["spec", "template"]] ?? .null)
        if selector == nil || selector?.object?.isEmpty == true {
            causes.append(.required("spec.selector"))
        } else if !LabelSelector(labelSelector: selector).matches(labels) {
            causes.append(.invalid("spec.template.metadata.labels", value: goMap(labels), "`selector` does not match template `labels`"))
        }
        if let old, let before = old[path: ["spec", "selector"]], !sameValue(before, selector) {
            causes.append(.invalid("spec.selector", value: goLabelSelector(selector), "field is immutable"))
        }
        if kind == "StatefulSet", let old {
            var before = old["spec"]?.object ?? [:], after = object["spec"]?.object ?? [:]
            for field in ["replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy", "minReadySeconds"] {
                before[field] = nil
                after[field] = nil
            }
            if !sameValue(.object(before), .object(after)) {
                causes.append(.forbidden("spec", "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"))
            }
        }
        causes += podSpecCauses(object[path: ["spec", "template", "spec"]], path: "spec.template.spec")
        return causes
    }

    private static func podSpecCauses(_ spec: JSONValue?, path: String) -> [APIError.Cause] {
        var causes: [APIError.Cause] = []
        let containers = spec?["containers"]?.array ?? []
        if containers.isEmpty { causes.append(.required("\(path).containers")) }
        var names: Set<String> = []
        for list in ["initContainers", "containers"] {
            for (index, container) in (spec?[list]?.array ?? []).enumerated() {
                let field = "\(path).\(list)[\(index)]"
                let name = container["name"]?.string ?? ""
                if name.isEmpty {
                    causes.append(.required("\(field).name"))
                } else if !names.insert(name).inserted {
                    causes.append(APIError.Cause(type: "FieldValueDuplicate", field: "\(field).name", detail: "Duplicate value: \(goQuote(name))"))
                }
                if (container["image"]?.string ?? "").isEmpty { causes.append(.required("\(field).image")) }
            }
        }
        return causes
    }

    // MARK: - Names

    private static let subdomainMessage = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    private static let labelMessage = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    private static let dns1035Message = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"

    /// Why `name` is not a valid name for `kind`, or nil.
    static func nameProblem(_ name: String, kind: String) -> String? {
        switch kind {
        case "Namespace":
            if name.count > 63 { return "must be no more than 63 characters" }
            return isLabel(name) ? nil : labelMessage
        case "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding":
            // RBAC names are path segments (`system:controller:…`), as ValidateRBACName says.
            if name == "." || name == ".." { return "may not be '\(name)'" }
            for forbidden in ["/", "%"] where name.contains(forbidden) { return "may not contain '\(forbidden)'" }
            return nil
        case "Service":
            if name.count > 63 { return "must be no more than 63 characters" }
            return isLabel(name) && name.first?.isLetter == true ? nil : dns1035Message
        default:
            if name.count > 253 { return "must be no more than 253 characters" }
            return !name.isEmpty && name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isLabel(String($0)) }
                ? nil : subdomainMessage
        }
    }

    private static func isLabel(_ text: String) -> Bool {
        guard let first = text.first, let last = text.last else { return false }
        func alnum(_ c: Character) -> Bool { c.isASCII && (c.isLowercase || c.isNumber) }
        return alnum(first) && alnum(last) && text.allSatisfy { alnum($0) || $0 == "-" }
    }

    // MARK: - Go formatting of values in messages

    static func goQuote(_ text: String) -> String { JSONWriter.compact(.string(text)) }

    static func goMap(_ map: [String: String]) -> String {
        "map[string]string{" + map.keys.sorted().map { "\(goQuote($0)):\(goQuote(map[$0] ?? ""))" }.joined(separator: ", ") + "}"
    }

    static func goLabelSelector(_ selector: JSONValue?) -> String {
        var labels: [String: String] = [:]
        for member in selector?["matchLabels"]?.object ?? [:] { labels[member.key] = member.value.string ?? "" }
        let expressions = selector?["matchExpressions"]?.array?.isEmpty == false ? "[]v1.LabelSelectorRequirement{...}" : "[]v1.LabelSelectorRequirement(nil)"
        return "v1.LabelSelector{MatchLabels:\(goMap(labels)), MatchExpressions:\(expressions)}"
    }
}

/// Whether two values are the same as the API server compares them: as decoded structures, so
/// the order in which a client wrote the keys of a map does not matter.
func sameValue(_ lhs: JSONValue?, _ rhs: JSONValue?) -> Bool {
    switch (lhs, rhs) {
    case (nil, nil): return true
    case (.object(let left)?, .object(let right)?):
        guard left.count == right.count else { return false }
        return left.allSatisfy { member in right[member.key].map { sameValue(member.value, $0) } ?? false }
    case (.array(let left)?, .array(let right)?):
        return left.count == right.count && zip(left, right).allSatisfy { sameValue($0, $1) }
    default:
        return lhs == rhs
    }
}
