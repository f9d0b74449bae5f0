import Foundation
import Testing
import TandemModel
import TandemTestSupport
@testable import TandemRendering

@Suite("Invalid inputs")
struct InvalidInputTests {
    static let cases = FixtureCase.all(in: "Invalid")

    @Test("the Invalid folder holds cases")
    func enoughFixtures() { expectCases(Self.cases, in: "Invalid", atLeast: 25) }

    @Test("reports the expected diagnostics and renders nothing", arguments: cases)
    func reportsDiagnostics(_ fixture: FixtureCase) throws {
        let (output, diagnostics, result) = try fixture.render()
        #expect(result.hasErrors)
        #expect(result.objects.isEmpty)
        #expect(output.isEmpty)
        expectMatchesFile(diagnostics, "expected.txt", of: fixture)
        // Every error points at a line and column of the file.
        for diagnostic in result.diagnostics {
            #expect(diagnostic.location?.file == "app.yaml", "\(diagnostic)")
            #expect((diagnostic.location?.line ?? 0) >= 1, "\(diagnostic)")
            // The controller shows these too: a flag or a tandem command is the CLI's to add.
            let text = diagnostic.message + " " + (diagnostic.hint ?? "")
            #expect(text.range(of: #"--[a-z]|\btandem (render|validate|definitions|up|down|status|install)\b"#, options: .regularExpression) == nil,
                    "\(diagnostic)")
        }
    }
}
