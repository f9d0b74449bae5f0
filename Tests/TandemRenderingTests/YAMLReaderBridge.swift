import TandemModel
import TandemParsing

enum YAMLReaderBridge {
    static func read(_ text: String) -> ([YAMLNode], [Diagnostic]) {
        let (documents, problems) = YAMLReader().read(Array(text.utf8), file: "output")
        return (documents, problems)
    }
}
