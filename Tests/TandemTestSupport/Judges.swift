import Foundation
import Testing

/// The programs tests use as independent judges (kubectl, kubernetes-validate, openssl). `.ci/run`
/// provides them in CI (`CI` set), where a missing one must fail the tests that need it rather
/// than let them pass without checking; elsewhere those tests are skipped, saying why.
public enum Judges {
    public static var inCI: Bool { ProcessInfo.processInfo.environment["CI"] != nil }

    /// Enables a test where its judge is `found`, and always in CI (where it then fails at
    /// `require`); skips it elsewhere with `reason`.
    public static func needs(_ found: Bool, _ reason: String) -> ConditionTrait {
        .enabled(if: found || inCI, Comment(rawValue: reason))
    }
}
