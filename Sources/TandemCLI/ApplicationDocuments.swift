import Foundation
import TandemJSON
import TandemParsing

extension InputOptions {
    /// The Application document named `name` in the input files, as JSON, read again for the
    /// workflow's record; nil when it came from standard input (which can be read only once).
    func applicationDocument(named name: String, namespace: String?) -> JSONValue? {
        for path in allFiles where path != "-" {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            let files = isDirectory.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
                    .sorted().map { (path as NSString).appendingPathComponent($0) }
                : [path]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file), data.count <= maxInputBytes else { continue }
                for document in YAMLReader().read(Array(data), file: file).documents
                where document.json["kind"]?.string == "Application" && document.json[path: ["metadata", "name"]]?.string == name
                    && [nil, namespace].contains(document.json[path: ["metadata", "namespace"]]?.string) {
                    return document.json
                }
            }
        }
        return nil
    }
}
