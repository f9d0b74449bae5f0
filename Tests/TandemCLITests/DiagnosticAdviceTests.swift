import Foundation
import TandemTestSupport
import Testing

/// Diagnostics whose remedy is one of tandem's flags or commands get that hint from the CLI, not
/// from the libraries (which the controller shares).
@Suite struct DiagnosticAdviceTests {
    static func file(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("advice-\(UUID().uuidString).yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static let application = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata: {name: app}
        spec:
          components:
            - name: web
              type: webservice
              properties: {image: nginx:1.27}
              traits:
                - type: qqqqqqqqqqqq

        """

    @Test func anInputOverTheLimitNamesTheFlagThatRaisesIt() throws {
        let url = try Self.file(Self.application)
        defer { try? FileManager.default.removeItem(at: url) }
        let run = try Tandem.run(["validate", "--max-input-bytes", "10", url.path])
        #expect(run.status != 0)
        #expect(run.stderr.contains("hint: raise the limit with --max-input-bytes if this input is expected"), "\(run.stderr)")
    }

    @Test func anUnknownTraitWithNothingCloseNamesTheCommandThatListsThem() throws {
        let url = try Self.file(Self.application)
        defer { try? FileManager.default.removeItem(at: url) }
        let text = try Tandem.run(["validate", url.path])
        #expect(text.stderr.contains("unknown trait type 'qqqqqqqqqqqq'\n  hint: tandem definitions lists the trait types"), "\(text.stderr)")
        let json = try Tandem.run(["validate", "--diagnostics", "json", url.path])
        #expect(json.stderr.contains("\"hint\" : \"tandem definitions lists the trait types\"")
                || json.stderr.contains("\"hint\": \"tandem definitions lists the trait types\""), "\(json.stderr)")
    }
}
