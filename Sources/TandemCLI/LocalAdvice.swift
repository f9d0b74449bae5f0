import TandemLocal

/// What the user of `tandem up --local` can do about a problem, in its flags and commands: the
/// library's hint, and its remedy in tandem's words.
enum LocalAdvice {
    static func describe(_ problem: LocalProblem) -> String {
        problem.describe(hint: hint(problem))
    }

    static func hint(_ problem: LocalProblem) -> String? {
        guard let remedy = problem.remedy else { return problem.hint }
        let words: String
        switch remedy {
        case .supplyObject:
            words = "give it with --with FILE"
        case .stopRunningCopy(let application, let namespace):
            words = "stop it first: tandem down --local \(application)" + (namespace == "default" ? "" : " -n \(namespace)")
        case .withoutPublishing:
            words = "leave out --publish"
        case .renderInstead:
            words = "render without it: tandem render FILE"
        }
        return problem.hint.map { "\($0), or \(words)" } ?? words
    }
}
