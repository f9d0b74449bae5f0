@testable import TandemLocal
import Testing

@Suite struct EnvironmentExpansionTests {
    @Test func referencesToEarlierVariablesAreExpandedAsKubernetesDoes() {
        let known = ["A": "one", "B": "two"]
        #expect(EnvironmentResolver.expand("$(A)-$(B)", known) == "one-two")
        #expect(EnvironmentResolver.expand("$$(A)", known) == "$(A)")
        #expect(EnvironmentResolver.expand("$(UNKNOWN) $", known) == "$(UNKNOWN) $")
        #expect(EnvironmentResolver.expand("no references", known) == "no references")
    }
}
