import Foundation
import KubeModel
import TandemJSON
import TandemModel
import TandemParsing

/// The files given with `--with`: Kubernetes Secrets and ConfigMaps (one or more documents, or a
/// `List`), which pods read as they would read them in a cluster.
public enum WithFiles {
    /// Adds the Secrets and ConfigMaps of `bytes` to `sources`; returns the problems, located in the file.
    public static func add(_ bytes: [UInt8], file: String, to sources: inout ConfigSources) -> [Diagnostic] {
        let (documents, problems) = YAMLReader().read(bytes, file: file)
        var diagnostics = problems
        for document in documents {
            let items = document.json["kind"]?.string == "List" ? (document.json["items"]?.array ?? []).enumerated().map { ($1, FieldPath(["items", .index($0)])) }
                : [(document.json, FieldPath.root)]
            for (json, path) in items where json != .null {
                let location = SourceLocation(file: file, position: document.source.position(of: path))
                if let problem = KubeObject.identityProblem(json) {
                    diagnostics.append(Diagnostic(.error, code: .invalidValue, "the object \(problem)", path: path, location: location))
                    continue
                }
                let object = KubeObject(json: json)
                guard object.apiVersion == "v1", object.kind == "Secret" || object.kind == "ConfigMap" else {
                    diagnostics.append(Diagnostic(.warning, code: .unsupportedFeature,
                                                  "\(object.kind) \(object.name) is ignored: only Secrets and ConfigMaps are given to the application",
                                                  path: path, location: location))
                    continue
                }
                if let problem = sources.add(object, origin: file) {
                    // Located at the value itself, not at the document that holds it.
                    let valuePath = path / problem.path
                    diagnostics.append(Diagnostic(.error, code: .invalidValue, problem.message, path: valuePath,
                                                  location: SourceLocation(file: file, position: document.source.position(of: valuePath))))
                }
            }
        }
        return diagnostics
    }
}
