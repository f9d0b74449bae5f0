/// A regular expression with RE2 syntax (the subset CUE programs use), matched by a Pike VM:
/// time linear in the input, whatever the pattern, unlike a backtracking matcher.
struct CUERegex {
    fileprivate enum Instruction {
        case character(CharacterMatcher)
        case split(Int, Int)  // prefer the first
        case jump(Int)
        case save(Int)
        case lineStart, lineEnd, textStart, textEnd
        case match
    }

    fileprivate struct CharacterMatcher {
        var ranges: [ClosedRange<UInt32>]
        var negated: Bool

        func matches(_ scalar: UInt32) -> Bool {
            ranges.contains { $0.contains(scalar) } != negated
        }
    }

    private let program: [Instruction]
    /// Number of capture groups, not counting the whole match.
    let groupCount: Int
    let groupNames: [Int: String]

    static let maxProgramSize = 20_000

    init(_ pattern: String) throws(CUEError) {
        var parser = RegexParser(pattern: Array(pattern.unicodeScalars.map(\.value)), source: pattern)
        let node = try parser.parseAlternation()
        guard parser.atEnd else { throw parser.error("unexpected )") }
        var compiler = RegexCompiler()
        compiler.emit(.save(0))
        try compiler.compile(node)
        compiler.emit(.save(1))
        compiler.emit(.match)
        program = compiler.program
        groupCount = parser.groupCount
        groupNames = parser.groupNames
    }

    func matches(_ text: String) -> Bool { firstMatch(in: text) != nil }

    /// The leftmost-first match: for each group (0 = whole match), the scalar offsets.
    func firstMatch(in text: String, from start: Int = 0) -> [Range<Int>?]? {
        let input = Array(text.unicodeScalars.map(\.value))
        let slots = (groupCount + 1) * 2
        var current: [(pc: Int, captures: [Int])] = []
        var next: [(pc: Int, captures: [Int])] = []
        var matched: [Int]?
        var position = start
        while true {
            if matched == nil {
                // Start a new thread here, with lowest priority (leftmost match first).
                addThread(&current, pc: 0, captures: Array(repeating: -1, count: slots), position: position, input: input)
            }
            if current.isEmpty { break }
            next.removeAll(keepingCapacity: true)
            var seen = Set<Int>()
            for thread in current {
                switch program[thread.pc] {
                case .match:
                    matched = thread.captures
                    break
                case .character(let matcher):
                    if position < input.count, matcher.matches(input[position]) {
                        addThread(&next, pc: thread.pc + 1, captures: thread.captures, position: position + 1, input: input, seen: &seen)
                    }
                    continue
                default:
                    continue
                }
                break  // a match cuts off lower-priority threads
            }
            if position >= input.count { break }
            position += 1
            swap(&current, &next)
            if current.isEmpty && matched != nil { break }
        }
        guard let captures = matched else { return nil }
        return (0...groupCount).map { group in
            let low = captures[group * 2], high = captures[group * 2 + 1]
            return low >= 0 && high >= 0 ? low..<high : nil
        }
    }

    private func addThread(_ list: inout [(pc: Int, captures: [Int])], pc: Int, captures: [Int], position: Int, input: [UInt32]) {
        var seen = Set(list.map(\.pc))
        addThread(&list, pc: pc, captures: captures, position: position, input: input, seen: &seen)
    }

    /// Follows empty transitions (with an explicit stack) and adds the threads that consume a
    /// character or match, each program counter once per step.
    private func addThread(_ list: inout [(pc: Int, captures: [Int])], pc: Int, captures: [Int], position: Int,
                           input: [UInt32], seen: inout Set<Int>) {
        var stack: [(Int, [Int])] = [(pc, captures)]
        while let (pc, captures) = stack.popLast() {
            guard seen.insert(pc).inserted else { continue }
            switch program[pc] {
            case .jump(let target):
                stack.append((target, captures))
            case .split(let first, let second):
                stack.append((second, captures))
                stack.append((first, captures))
            case .save(let slot):
                var updated = captures
                if slot < updated.count { updated[slot] = position }
                stack.append((pc + 1, updated))
            case .lineStart:
                if position == 0 || input[position - 1] == 10 { stack.append((pc + 1, captures)) }
            case .lineEnd:
                if position == input.count || input[position] == 10 { stack.append((pc + 1, captures)) }
            case .textStart:
                if position == 0 { stack.append((pc + 1, captures)) }
            case .textEnd:
                if position == input.count { stack.append((pc + 1, captures)) }
            case .character, .match:
                list.append((pc, captures))
            }
        }
    }

    // MARK: Parsing

    fileprivate indirect enum Node {
        case empty
        case character(CharacterMatcher)
        case concatenation([Node])
        case alternation([Node])
        case repetition(Node, min: Int, max: Int?, greedy: Bool)
        case group(Node, index: Int?)
        case textStart, textEnd
    }

    fileprivate struct RegexParser {
        let pattern: [UInt32]
        let source: String
        var index = 0
        var groupCount = 0
        var groupNames: [Int: String] = [:]
        var depth = 0

        init(pattern: [UInt32], source: String) {
            self.pattern = pattern
            self.source = source
        }

        var atEnd: Bool { index >= pattern.count }
        func peek(_ ahead: Int = 0) -> UInt32? { index + ahead < pattern.count ? pattern[index + ahead] : nil }

        func error(_ message: String) -> CUEError {
            CUEError(.eval, "error parsing regexp: \(message): `\(source)`")
        }

        mutating func parseAlternation() throws(CUEError) -> Node {
            depth += 1
            defer { depth -= 1 }
            guard depth < 200 else { throw error("expression nests too deeply") }
            var branches = [try parseConcatenation()]
            while peek() == 0x7C {  // |
                index += 1
                branches.append(try parseConcatenation())
            }
            return branches.count == 1 ? branches[0] : .alternation(branches)
        }

        mutating func parseConcatenation() throws(CUEError) -> Node {
            var items: [Node] = []
            while let scalar = peek(), scalar != 0x7C, scalar != 0x29 {
                var atom = try parseAtom()
                while let quantifier = peek() {
                    var minimum = 0, maximum: Int? = nil
                    switch quantifier {
                    case 0x2A: (minimum, maximum) = (0, nil)  // *
                    case 0x2B: (minimum, maximum) = (1, nil)  // +
                    case 0x3F: (minimum, maximum) = (0, 1)  // ?
                    case 0x7B:  // {
                        guard let counts = try parseCounts() else { break }
                        (minimum, maximum) = counts
                    default: break
                    }
                    if quantifier == 0x2A || quantifier == 0x2B || quantifier == 0x3F {
                        index += 1
                    } else if quantifier != 0x7B || pattern[index - 1] != 0x7D {
                        break  // not a quantifier (or a literal `{`)
                    }
                    var greedy = true
                    if peek() == 0x3F { greedy = false; index += 1 }
                    if case .repetition = atom { throw error("invalid nested repetition operator") }
                    atom = .repetition(atom, min: minimum, max: maximum, greedy: greedy)
                }
                items.append(atom)
            }
            return items.count == 1 ? items[0] : (items.isEmpty ? .empty : .concatenation(items))
        }

        /// `{n}`, `{n,}`, `{n,m}`; `nil` (and nothing consumed) if this `{` is a literal.
        mutating func parseCounts() throws(CUEError) -> (Int, Int?)? {
            let start = index
            index += 1
            func number(_ parser: inout RegexParser) -> Int? {
                var value = 0, digits = 0
                while let scalar = parser.peek(), scalar >= 0x30, scalar <= 0x39 {
                    value = value * 10 + Int(scalar - 0x30)
                    digits += 1
                    parser.index += 1
                    if value > 1000 { return 1001 }
                }
                return digits > 0 ? value : nil
            }
            guard let minimum = number(&self) else { index = start; return nil }
            var maximum: Int? = minimum
            if peek() == 0x2C {
                index += 1
                maximum = number(&self)
            }
            guard peek() == 0x7D else { index = start; return nil }
            index += 1
            if minimum > 1000 || (maximum ?? 0) > 1000 || (maximum.map { $0 < minimum } ?? false) {
                throw error("invalid repeat count")
            }
            return (minimum, maximum)
        }

        mutating func parseAtom() throws(CUEError) -> Node {
            guard let scalar = peek() else { throw error("missing argument") }
            index += 1
            switch scalar {
            case 0x2E: return .character(CharacterMatcher(ranges: [10...10], negated: true))  // .
            case 0x5E: return .textStart  // ^
            case 0x24: return .textEnd  // $
            case 0x28:  // (
                var captureIndex: Int?
                if peek() == 0x3F {  // (?
                    index += 1
                    if peek() == 0x3A { index += 1 }  // (?:
                    else if peek() == 0x50 || peek() == 0x3C {  // (?P<name> or (?<name>
                        if peek() == 0x50 { index += 1 }
                        guard peek() == 0x3C else { throw error("invalid named capture") }
                        index += 1
                        var name = ""
                        while let character = peek(), character != 0x3E {
                            name.unicodeScalars.append(Unicode.Scalar(character) ?? "?")
                            index += 1
                        }
                        guard peek() == 0x3E, !name.isEmpty else { throw error("invalid named capture") }
                        index += 1
                        groupCount += 1
                        captureIndex = groupCount
                        groupNames[groupCount] = name
                    } else {
                        throw error("invalid or unsupported Perl syntax")
                    }
                } else {
                    groupCount += 1
                    captureIndex = groupCount
                }
                let inner = try parseAlternation()
                guard peek() == 0x29 else { throw error("missing closing )") }
                index += 1
                return .group(inner, index: captureIndex)
            case 0x5B: return .character(try parseClass())  // [
            case 0x5C: return try parseEscape(inClass: false)
            case 0x2A, 0x2B, 0x3F: throw error("missing argument to repetition operator")
            default: return .character(CharacterMatcher(ranges: [scalar...scalar], negated: false))
            }
        }

        mutating func parseEscape(inClass: Bool) throws(CUEError) -> Node {
            guard let scalar = peek() else { throw error("trailing backslash at end of expression") }
            index += 1
            let digit: [ClosedRange<UInt32>] = [0x30...0x39]
            let word: [ClosedRange<UInt32>] = [0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F...0x5F]
            let space: [ClosedRange<UInt32>] = [0x09...0x0A, 0x0C...0x0D, 0x20...0x20]
            switch scalar {
            case 0x64: return .character(CharacterMatcher(ranges: digit, negated: false))  // \d
            case 0x44: return .character(CharacterMatcher(ranges: digit, negated: true))
            case 0x77: return .character(CharacterMatcher(ranges: word, negated: false))  // \w
            case 0x57: return .character(CharacterMatcher(ranges: word, negated: true))
            case 0x73: return .character(CharacterMatcher(ranges: space, negated: false))  // \s
            case 0x53: return .character(CharacterMatcher(ranges: space, negated: true))
            case 0x6E: return literal(10)  // \n
            case 0x74: return literal(9)  // \t
            case 0x72: return literal(13)  // \r
            case 0x66: return literal(12)
            case 0x76: return literal(11)
            case 0x41 where !inClass: return .textStart  // \A
            case 0x7A where !inClass: return .textEnd  // \z
            default:
                let isLetterOrDigit = (0x30...0x39).contains(scalar) || (0x41...0x5A).contains(scalar) || (0x61...0x7A).contains(scalar)
                guard !isLetterOrDigit else { throw error("invalid escape sequence: `\\\(Unicode.Scalar(scalar).map { String($0) } ?? "")`") }
                return literal(scalar)
            }
        }

        func literal(_ scalar: UInt32) -> Node { .character(CharacterMatcher(ranges: [scalar...scalar], negated: false)) }

        mutating func parseClass() throws(CUEError) -> CharacterMatcher {
            var negated = false
            if peek() == 0x5E { negated = true; index += 1 }
            var ranges: [ClosedRange<UInt32>] = []
            var first = true
            while true {
                guard let scalar = peek() else { throw error("missing closing ]") }
                if scalar == 0x5D && !first { index += 1; break }
                first = false
                var low: UInt32
                if scalar == 0x5C {
                    index += 1
                    guard case .character(let matcher) = try parseEscape(inClass: true) else { throw error("invalid escape in class") }
                    if matcher.negated || matcher.ranges.count != 1 || matcher.ranges[0].count != 1 {
                        if matcher.negated {
                            // \D, \W, \S inside a class: the complement of their ranges.
                            var start: UInt32 = 0
                            for range in matcher.ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
                                if range.lowerBound > start { ranges.append(start...(range.lowerBound - 1)) }
                                start = range.upperBound + 1
                            }
                            ranges.append(start...0x10FFFF)
                        } else {
                            ranges += matcher.ranges
                        }
                        continue
                    }
                    low = matcher.ranges[0].lowerBound
                } else {
                    index += 1
                    low = scalar
                }
                if peek() == 0x2D, let high = peek(1), high != 0x5D {  // a-z
                    index += 2
                    var upper = high
                    if high == 0x5C {
                        guard case .character(let matcher) = try parseEscape(inClass: true), matcher.ranges.count == 1 else {
                            throw error("invalid character class range")
                        }
                        upper = matcher.ranges[0].lowerBound
                    }
                    guard upper >= low else { throw error("invalid character class range") }
                    ranges.append(low...upper)
                } else {
                    ranges.append(low...low)
                }
            }
            return CharacterMatcher(ranges: ranges, negated: negated)
        }
    }

    fileprivate struct RegexCompiler {
        var program: [Instruction] = []

        mutating func emit(_ instruction: Instruction) { program.append(instruction) }

        mutating func compile(_ node: Node) throws(CUEError) {
            guard program.count < CUERegex.maxProgramSize else {
                throw CUEError(.limit, "regular expression too large")
            }
            switch node {
            case .empty: break
            case .character(let matcher): emit(.character(matcher))
            case .textStart: emit(.textStart)
            case .textEnd: emit(.textEnd)
            case .concatenation(let items): for item in items { try compile(item) }
            case .group(let inner, let index):
                if let index { emit(.save(index * 2)) }
                try compile(inner)
                if let index { emit(.save(index * 2 + 1)) }
            case .alternation(let branches):
                var jumps: [Int] = []
                for (position, branch) in branches.enumerated() {
                    if position < branches.count - 1 {
                        let split = program.count
                        emit(.split(split + 1, 0))
                        try compile(branch)
                        jumps.append(program.count)
                        emit(.jump(0))
                        program[split] = .split(split + 1, program.count)
                    } else {
                        try compile(branch)
                    }
                }
                for jump in jumps { program[jump] = .jump(program.count) }
            case .repetition(let inner, let minimum, let maximum, let greedy):
                for _ in 0..<minimum { try compile(inner) }
                if let maximum {
                    var splits: [Int] = []
                    for _ in minimum..<maximum {
                        splits.append(program.count)
                        emit(.split(0, 0))
                        try compile(inner)
                    }
                    for split in splits {
                        program[split] = greedy ? .split(split + 1, program.count) : .split(program.count, split + 1)
                    }
                } else {
                    let split = program.count
                    emit(.split(0, 0))
                    try compile(inner)
                    emit(.jump(split))
                    program[split] = greedy ? .split(split + 1, program.count) : .split(program.count, split + 1)
                }
            }
        }
    }
}
