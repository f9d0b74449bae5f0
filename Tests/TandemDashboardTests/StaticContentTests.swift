import Foundation
import TandemTestSupport
import Testing
@testable import TandemDashboard

/// The page the binary serves is the page in the repository.
@Suite struct StaticContentTests {
    @Test func theEmbeddedFilesAreTheFilesInStatic() throws {
        let folder = PackagePaths.root.appendingPathComponent("Sources/TandemDashboard/Static")
        for (file, embedded) in [("index.html", StaticContent.page), ("app.js", StaticContent.script), ("style.css", StaticContent.style)] {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            #expect(text.trimmingCharacters(in: .newlines) == embedded, "\(file) changed: run scripts/embed-dashboard.py")
        }
    }

    /// No inline script or style: the Content-Security-Policy would refuse them.
    @Test func thePageHoldsNoInlineScriptOrStyle() {
        #expect(!StaticContent.page.contains("<script>"))
        #expect(!StaticContent.page.contains("style="))
        #expect(!StaticContent.page.contains("onclick"))
        #expect(StaticContent.page.contains(#"<script src="/app.js" defer></script>"#))
    }

    @Test func theTokenIsComparedWhole() {
        let gate = ActionGate(token: "abc")
        #expect(gate.refusal(presented: "abc") == nil)
        #expect(gate.refusal(presented: "abd") == ActionGate.refused)
        #expect(gate.refusal(presented: "ab") == ActionGate.refused)
        #expect(gate.refusal(presented: nil) == ActionGate.refused)
        #expect(ActionGate(token: nil).refusal(presented: "abc") == ActionGate.disabled)
        #expect(ActionGate.newToken() != ActionGate.newToken())
        #expect(ActionGate.newToken().count == 32)
    }
}
