import Foundation
@testable import TandemLocal
import TandemModel
import Testing

/// Problems in a `--with` file are located where they are: at the value, not the document.
@Suite struct WithFilesTests {
    @Test func badBase64IsLocatedAtTheValue() {
        var sources = ConfigSources()
        let text = "apiVersion: v1\nkind: Secret\nmetadata: {name: creds}\ndata:\n  user: YWRtaW4=\n  token: not*base64\n"
        let diagnostics = WithFiles.add(Array(text.utf8), file: "creds.yaml", to: &sources)
        #expect(diagnostics.count == 1)
        let diagnostic = diagnostics.first
        #expect(diagnostic?.message == "Secret/creds: data.token is not base64", "\(diagnostics)")
        #expect(diagnostic?.location?.line == 6, "\(String(describing: diagnostic?.location))")
        #expect(diagnostic?.location?.column == 10, "\(String(describing: diagnostic?.location))")
    }
}
