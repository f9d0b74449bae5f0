import Foundation
import TandemCUE
import TandemDefinitions
import TandemJSON
import TandemModel

extension CUEComponentDefinition {
    /// `attributes.status` (`healthPolicy`, `customStatus`, `details`) bound to the component's
    /// parameters and context; nil when the definition states none.
    public func healthPolicy(_ parameters: Parameters, context: RenderContext, outputs: [HealthPolicy.Output]) -> HealthPolicy? {
        source.healthPolicy(parameters: parameters.values, context: KubeVelaContext.make(context), outputs: outputs)
    }
}

extension CUEDefinitionSource {
    /// The definition's status programs bound to a component's parameters and context; nil
    /// without any.
    public func healthPolicy(parameters: JSONValue, context: JSONObject, outputs: [HealthPolicy.Output] = []) -> HealthPolicy? {
        let policy = HealthPolicy(definition: name, file: file, healthPolicy: statusPrograms["healthPolicy"],
                                  customStatus: statusPrograms["customStatus"], details: statusPrograms["details"],
                                  parameter: parameters, context: context, outputs: outputs)
        guard policy.healthPolicy != nil || policy.customStatus != nil || policy.details != nil else { return nil }
        return policy
    }

    /// The programs of `status`, each located in the definition's file (read once, here).
    static func statusPrograms(_ status: JSONObject, file: String) -> [String: HealthPolicy.Program] {
        let keys = ["healthPolicy", "customStatus", "details"].filter {
            status[$0]?.string.map { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty } == true
        }
        guard !keys.isEmpty else { return [:] }
        let fileLines = (try? String(contentsOfFile: file, encoding: .utf8)).map { TemplateText.lines(of: Substring($0)) } ?? []
        var programs: [String: HealthPolicy.Program] = [:]
        for key in keys {
            guard let text = status[key]?.string else { continue }
            let (line, column) = locate(text, after: key, in: fileLines)
            programs[key] = HealthPolicy.Program(text: text, line: line, column: column)
        }
        return programs
    }

    /// The file line holding a program's first line, searched after the line naming it, and
    /// the program's indentation there (a block string drops it); (0, 0) when not found.
    static func locate(_ text: String, after key: String, in lines: [Substring]) -> (line: Int, column: Int) {
        let textLines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let offset = textLines.firstIndex(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else { return (0, 0) }
        let first = textLines[offset].trimmingCharacters(in: .whitespaces)
        guard let keyLine = lines.firstIndex(where: { $0.contains(key) }) else { return (0, 0) }
        for index in keyLine..<lines.count where lines[index].trimmingCharacters(in: .whitespaces) == first {
            let indent = lines[index].prefix { $0 == " " || $0 == "\t" }.count
            let programIndent = textLines[offset].prefix { $0 == " " || $0 == "\t" }.count
            return (index + 1 - offset, indent - programIndent)
        }
        return (0, 0)
    }
}

extension CUEDefinitionSource {
    /// `given` completed with the defaults the definition's `parameter` declares, as a template
    /// sees it; the problems, each at its line, when CUE refuses the parameters.
    public func parameterWithDefaults(_ given: JSONValue, context: JSONObject) -> (value: JSONValue?, problems: [String]) {
        let value = CUEContext().evaluate([template], injecting: [(["parameter"], given), (["context"], .object(context))])
        guard let parameter = value.lookup(["parameter"]) else { return (given, []) }
        func text(_ error: CUEError) -> String {
            "\(error.path.joined(separator: ".")): \(error.message) (\(location(of: error.position)))"
        }
        let errors = parameter.errors(limit: 10)
        guard errors.isEmpty else { return (nil, errors.map(text)) }
        do {
            return (try parameter.export(), [])
        } catch {
            return (nil, [text(error)])
        }
    }
}
