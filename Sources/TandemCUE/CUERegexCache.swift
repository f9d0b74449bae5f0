/// Compiled regular expressions by pattern, so a bound checked many times compiles once.
final class CUERegexCache {
    private var regexes: [String: CUERegex] = [:]

    func regex(_ pattern: String) throws(CUEError) -> CUERegex {
        if let regex = regexes[pattern] { return regex }
        let regex = try CUERegex(pattern)
        if regexes.count > 256 { regexes.removeAll() }
        regexes[pattern] = regex
        return regex
    }
}
