import Foundation
@testable import TandemLocal
import Testing

/// `--with` Secrets and ConfigMaps count only in their own namespace, as in a cluster: one in
/// `other-team` does not satisfy a reference from a pod in `default`.
@Suite struct WithNamespaceTests {
    static func secretIn(_ namespace: String?) -> String {
        "apiVersion: v1\nkind: Secret\nmetadata: {name: mysecret\(namespace.map { ", namespace: \($0)" } ?? "")}\ndata: {username: YWRtaW4=}\n"
            + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: game-demo\(namespace.map { ", namespace: \($0)" } ?? "")}\n"
            + "data: {player_initial_lives: \"3\"}\n"
    }

    @Test func aSecretOfAnotherNamespaceIsNotFound() throws {
        guard case .failure(let problems) = try TranslationTests.plan(TranslationTests.seedWithEnvironment, with: Self.secretIn("other-team"))
        else { Issue.record("a Secret of namespace other-team satisfied a pod of default"); return }
        let texts = problems.problems.map(\.message)
        #expect(texts.contains("secret \"mysecret\" not found in namespace default (there is one in other-team; a pod reads only its own namespace's)"),
                "\(texts)")
    }

    @Test func aSecretOfThePodsNamespaceOrOfNoneIsFound() throws {
        for namespace in ["default", nil] {
            let plan = try TranslationTests.plan(TranslationTests.seedWithEnvironment, with: Self.secretIn(namespace)).get()
            #expect(plan.secrets.map(\.value) == [Data("admin".utf8)])
        }
    }

    @Test func theApplicationsNamespaceDecides() throws {
        let inTeamA = TranslationTests.seedWithEnvironment.replacingOccurrences(of: "{name: my-app}", with: "{name: my-app, namespace: team-a}")
        try #require(inTeamA != TranslationTests.seedWithEnvironment)
        #expect(throws: LocalProblems.self) { try TranslationTests.plan(inTeamA, with: Self.secretIn("default")).get() }
        let plan = try TranslationTests.plan(inTeamA, with: Self.secretIn("team-a")).get()
        #expect(plan.namespace == "team-a")
    }
}
