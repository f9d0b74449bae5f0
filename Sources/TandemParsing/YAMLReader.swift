import CYaml
import TandemJSON
import TandemModel

/// One document of a file: its value as JSON, and where each part of it was written.
public struct ParsedDocument: Sendable {
    public var json: JSONValue
    public var source: SourceMap

    public init(json: JSONValue, source: SourceMap) {
        self.json = json
        self.source = source
    }
}

/// Reads YAML text into documents, driving libyaml's event parser directly so that duplicate
/// keys, aliases, depth and size are checked as the text is read.
public struct YAMLReader: Sendable {
    public var limits: InputLimits

    public init(limits: InputLimits = .default) {
        self.limits = limits
    }

    /// Every document of `bytes`, and the problems found. A syntax error ends the reading; the
    /// documents read before it are returned.
    public func read(_ bytes: [UInt8], file: String) -> (documents: [ParsedDocument], diagnostics: [Diagnostic]) {
        let stream = YAMLDocumentStream(bytes: bytes, file: file, limits: limits)
        var documents: [ParsedDocument] = []
        var diagnostics: [Diagnostic] = []
        while let next = stream.next() {
            diagnostics += next.diagnostics
            if let document = next.document { documents.append(document) }
        }
        return (documents, diagnostics)
    }
}

/// The documents of one file, read one at a time, so that a large file is parsed while earlier
/// documents are already being rendered, and its parsed trees never all sit in memory at once.
///
/// A stream is used by one thread at a time (the scheduler hands it from worker to worker).
public final class YAMLDocumentStream: @unchecked Sendable {
    /// What one step of reading found: a document (none when the step only found problems) and
    /// the problems found while reading it.
    public struct Step {
        public var document: ParsedDocument?
        public var diagnostics: [Diagnostic]
    }

    private let input: UnsafeMutableBufferPointer<UInt8>
    /// libyaml's parser keeps a pointer to itself for string input: it must not move.
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let started: Bool
    /// The reading state. Taken out into a local variable while a document is read, so the hot
    /// loop works on a value rather than on an object's properties.
    private var reader: Reader

    public init(bytes: [UInt8], file: String, limits: InputLimits) {
        let tooLarge = bytes.count > limits.maxBytes
        // An input over the limit is refused without copying it.
        input = .allocate(capacity: tooLarge ? 1 : max(bytes.count, 1))
        if !tooLarge { _ = input.initialize(from: bytes) }
        parser = .allocate(capacity: 1)
        reader = Reader(parser: parser, input: UnsafeBufferPointer(input), file: file, limits: limits)
        if tooLarge {
            started = false
            reader.finish(with: Diagnostic(
                .error, code: .inputTooLarge, "the input is larger than the limit of \(limits.maxBytes) bytes",
                location: SourceLocation(file: file, line: 1, column: 1)))
            return
        }
        guard yaml_parser_initialize(parser) == 1 else {
            started = false
            reader.finish(with: Diagnostic(.error, code: .yamlSyntax, "could not start the YAML parser",
                                           location: SourceLocation(file: file, line: 1, column: 1)))
            return
        }
        started = true
        yaml_parser_set_input_string(parser, input.baseAddress, bytes.count)
    }

    deinit {
        reader.dropPending()
        if started { yaml_parser_delete(parser) }
        parser.deallocate()
        input.deallocate()
    }

    /// The next document, or only problems; nil once the stream is exhausted.
    public func next() -> Step? {
        var local = reader
        reader = Reader(parser: parser, input: UnsafeBufferPointer(input), file: local.file, limits: local.limits)
        defer { reader = local }
        return local.next()
    }
}

/// The state of reading one stream, and the reading itself.
private struct Reader {
    let parser: UnsafeMutablePointer<yaml_parser_t>
    let input: UnsafeBufferPointer<UInt8>
    let file: String
    let limits: InputLimits
    private var finished = false
    private var documentCount = 0
    private var pending: yaml_event_t?

    // The document being read.
    private var nodes: [SourceMap.Node] = []
    private var texts: [(node: Int32, text: String)] = []
    private var anchors: [String: Anchor] = [:]
    private var aliasExpansion = 0
    private var diagnostics: [Diagnostic] = []
    /// Problems whose path is known only once the document is complete: diagnostic index, node.
    private var pathsToResolve: [(diagnostic: Int, node: Int)] = []

    /// An anchored value, with its nodes, to repeat at each alias.
    private struct Anchor {
        var read: Read
        var nodes: [SourceMap.Node]
        var texts: [(node: Int32, text: String)]
    }

    /// A value just read: the value, how many nodes it stands for (aliases count what they
    /// repeat), and, for a scalar, its text and whether it was quoted (for keys).
    private struct Read {
        var value: JSONValue
        var size: Int
        var scalar: (text: String, quoted: Bool)?
        var kind: String
    }

    /// Thrown to stop reading once a diagnostic has been recorded.
    private struct Stop: Error {}

    init(parser: UnsafeMutablePointer<yaml_parser_t>, input: UnsafeBufferPointer<UInt8>, file: String, limits: InputLimits) {
        self.parser = parser
        self.input = input
        self.file = file
        self.limits = limits
    }

    mutating func finish(with diagnostic: Diagnostic) {
        finished = true
        diagnostics.append(diagnostic)
    }

    mutating func dropPending() {
        if var event = pending { yaml_event_delete(&event) }
        pending = nil
    }

    mutating func next() -> YAMLDocumentStream.Step? {
        guard !finished else {
            guard !diagnostics.isEmpty else { return nil }
            defer { diagnostics = [] }
            return YAMLDocumentStream.Step(document: nil, diagnostics: diagnostics)
        }
        do {
            while true {
                var event = try nextEvent()
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    finished = true
                    return next()
                case YAML_DOCUMENT_START_EVENT:
                    if documentCount == limits.maxDocuments {
                        diagnostics.append(Diagnostic(
                            .error, code: .tooManyDocuments, "the file has more than \(limits.maxDocuments) documents",
                            location: location(of: event.start_mark)))
                        finished = true
                        return next()
                    }
                    documentCount += 1
                    return readDocument()
                default:
                    continue  // STREAM-START
                }
            }
        } catch {
            finished = true
            return next()
        }
    }

    private mutating func readDocument() -> YAMLDocumentStream.Step {
        nodes = []
        texts = []
        anchors.removeAll(keepingCapacity: true)
        aliasExpansion = 0
        pathsToResolve = []
        do {
            let root = try readNode(depth: 0, key: nil)
            var end = try nextEvent()  // DOCUMENT-END
            yaml_event_delete(&end)
            let source = SourceMap(file: file, root: root.value, nodes: nodes, texts: texts)
            for (index, node) in pathsToResolve { diagnostics[index].path = source.path(ofNode: node) }
            pathsToResolve = []
            defer { diagnostics = [] }
            return YAMLDocumentStream.Step(document: ParsedDocument(json: root.value, source: source), diagnostics: diagnostics)
        } catch {
            finished = true
            // A document that does not parse is not checked further: drop what only its checks would say.
            for index in pathsToResolve.map(\.diagnostic).sorted(by: >) { diagnostics.remove(at: index) }
            pathsToResolve = []
            defer { diagnostics = [] }
            return YAMLDocumentStream.Step(document: nil, diagnostics: diagnostics)
        }
    }

    /// Reads one value starting with the next event, appending its nodes.
    private mutating func readNode(depth: Int, key: SourcePosition?) throws -> Read {
        var event = try nextEvent()
        defer { yaml_event_delete(&event) }
        let position = SourcePosition(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
        switch event.type {
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            guard scalar.length <= limits.maxScalarBytes else {
                try fail("a value of \(scalar.length) bytes is longer than the limit of \(limits.maxScalarBytes) bytes",
                         at: position, code: .valueTooLong)
            }
            let text = Self.string(scalar.value, length: scalar.length)
            let tag = Self.optionalString(scalar.tag)
            checkTag(tag, at: position, scalar: true)
            let quoted = scalar.style != YAML_PLAIN_SCALAR_STYLE && scalar.style != YAML_ANY_SCALAR_STYLE
            let resolved = ResolvedScalar.resolve(text, quoted: quoted, tag: tag)
            checkTagged(tag, resolved, text, at: position)
            var (value, flags, keepsText) = resolved.json
            flags.insert(.scalar)
            if quoted { flags.insert(.quoted) }
            if case .int = value, !quoted, tag == nil, Self.isAmbiguousOctal(text) { flags.insert(.ambiguousOctal) }
            let index = nodes.count
            nodes.append(SourceMap.Node(position: position, key: key, flags: flags))
            if keepsText || tag != nil { texts.append((Int32(index), text)) }
            let read = Read(value: value, size: 1, scalar: (text, quoted), kind: Self.kind(of: value, flags))
            register(anchor: scalar.anchor, read, from: index)
            return read
        case YAML_ALIAS_EVENT:
            let name = Self.optionalString(event.data.alias.anchor) ?? ""
            guard let anchored = anchors[name] else {
                try fail("unknown alias '*\(name)': no anchor '&\(name)' comes before it", at: position, code: .yamlAlias)
            }
            aliasExpansion += anchored.read.size
            if aliasExpansion > limits.maxAliasExpansion {
                try fail("aliases expand to more than \(limits.maxAliasExpansion) nodes; refusing the document",
                         at: position, code: .aliasExpansion,
                         hint: "this looks like a \"billion laughs\" document; write the values out or use fewer nested aliases")
            }
            // Problems with the repeated value point at the alias.
            let base = nodes.count
            nodes.append(contentsOf: anchored.nodes)
            nodes[base].move(to: position, key: key)
            texts.append(contentsOf: anchored.texts.map { (Int32(base) + $0.node, $0.text) })
            return anchored.read
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            guard depth < limits.maxDepth else {
                try fail("the document nests deeper than \(limits.maxDepth) levels", at: position, code: .tooDeep)
            }
            let isMapping = event.type == YAML_MAPPING_START_EVENT
            let anchor = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
            checkTag(Self.optionalString(isMapping ? event.data.mapping_start.tag : event.data.sequence_start.tag),
                     at: position, scalar: false)
            let index = nodes.count
            nodes.append(SourceMap.Node(position: position, key: key, flags: []))
            let read = isMapping ? try readMapping(depth: depth, node: index) : try readSequence(depth: depth)
            nodes[index].setSize(nodes.count - index)
            register(anchor: anchor, read, from: index)
            return read
        default:
            try fail("unexpected YAML event", at: position, code: .yamlSyntax)
        }
    }

    private mutating func readSequence(depth: Int) throws -> Read {
        var items: [JSONValue] = []
        items.reserveCapacity(4)
        var size = 1
        while try !atCollectionEnd() {
            let item = try readNode(depth: depth + 1, key: nil)
            size += item.size
            items.append(item.value)
        }
        return Read(value: .array(items), size: size, scalar: nil, kind: "a list")
    }

    private mutating func readMapping(depth: Int, node: Int) throws -> Read {
        var object = JSONObject(reservingCapacity: 8)
        var size = 1
        while try !atCollectionEnd() {
            let mark = (nodes: nodes.count, texts: texts.count)
            let keyPosition = try peekPosition()
            let key: Read
            if let plain = try readPlainKey() {
                key = plain
            } else {
                key = try readNode(depth: depth + 1, key: nil)
                nodes.removeSubrange(mark.nodes...)  // keys are not values: they have no node of their own
                texts.removeSubrange(mark.texts...)
            }
            guard try !atCollectionEnd() else { break }
            let value = try readNode(depth: depth + 1, key: keyPosition)
            size += key.size + value.size
            func dropPair() {
                nodes.removeSubrange(mark.nodes...)
                texts.removeSubrange(mark.texts...)
            }
            guard let (text, quoted) = key.scalar else {
                pathsToResolve.append((diagnostics.count, node))
                diagnostics.append(Diagnostic(
                    .error, code: .invalidKey, "a mapping key must be a scalar, found \(key.kind)", location: location(keyPosition)))
                dropPair()
                continue
            }
            if !quoted, text == "<<" {
                // YAML 1.1 merge keys: Kubernetes' own reader takes them, the YAML 1.2 core schema does not.
                diagnostics.append(Diagnostic(.error, code: .mergeKey, "merge keys (<<) are not supported", location: location(keyPosition),
                                              hint: "write the merged keys out in this mapping"))
                dropPair()
                continue
            }
            // The object finds its keys by a scan while small and through a hash index once large.
            if let first = object.index(of: text) {
                diagnostics.append(Diagnostic(
                    .error, code: .duplicateKey, "duplicate key '\(text)'; it is already set on line \(keyLine(ofMember: first, in: node))",
                    location: location(keyPosition),
                    hint: "a mapping takes each key once (Kubernetes rejects duplicates too); remove one of them"))
                dropPair()
                continue
            }
            object.append(text, value.value)
        }
        return Read(value: .object(object), size: size, scalar: nil, kind: "a mapping")
    }

    /// The next key, when it is a scalar without anchor or tag (nearly every key): read without
    /// resolving it, since a key is its text. Nil, consuming nothing, for any other key.
    private mutating func readPlainKey() throws -> Read? {
        guard let event = pending, event.type == YAML_SCALAR_EVENT, event.data.scalar.anchor == nil,
              event.data.scalar.tag == nil else { return nil }
        let scalar = event.data.scalar
        guard scalar.length <= limits.maxScalarBytes else { return nil }  // the full path reports it
        let text = Self.string(scalar.value, length: scalar.length)
        let quoted = scalar.style != YAML_PLAIN_SCALAR_STYLE && scalar.style != YAML_ANY_SCALAR_STYLE
        var consumed = event
        pending = nil
        yaml_event_delete(&consumed)
        return Read(value: .string(text), size: 1, scalar: (text, quoted), kind: "a string")
    }

    /// The line of the key of the `offset`-th member of the mapping at `node` (its members are
    /// complete, so their sizes are known).
    private func keyLine(ofMember offset: Int, in node: Int) -> Int {
        var child = node + 1
        for _ in 0..<offset { child += Int(nodes[child].size) }
        return nodes[child].keyPosition?.line ?? 0
    }

    /// Whether the next event ends the current collection (and consumes it if so).
    private mutating func atCollectionEnd() throws -> Bool {
        if pending == nil {
            var event = yaml_event_t()
            guard yaml_parser_parse(parser, &event) == 1 else { try failSyntax() }
            pending = event
        }
        guard var event = pending, event.type == YAML_SEQUENCE_END_EVENT || event.type == YAML_MAPPING_END_EVENT else { return false }
        pending = nil
        yaml_event_delete(&event)
        return true
    }

    /// The position where the next event starts.
    private mutating func peekPosition() throws -> SourcePosition {
        if pending == nil {
            var event = yaml_event_t()
            guard yaml_parser_parse(parser, &event) == 1 else { try failSyntax() }
            pending = event
        }
        let mark = pending?.start_mark ?? yaml_mark_t()
        return SourcePosition(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    private mutating func nextEvent() throws -> yaml_event_t {
        if let event = pending {
            pending = nil
            return event
        }
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else { try failSyntax() }
        return event
    }

    private mutating func register(anchor: UnsafeMutablePointer<yaml_char_t>?, _ read: Read, from index: Int) {
        guard let name = Self.optionalString(anchor) else { return }
        let anchoredTexts = texts.filter { $0.node >= index }.map { ($0.node - Int32(index), $0.text) }
        anchors[name] = Anchor(read: read, nodes: Array(nodes[index...]), texts: anchoredTexts)
    }

    // MARK: Tags

    /// The tags Tandem understands; any other would change a value's meaning in ways it cannot follow.
    static let scalarTags: Set<String> = ["tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                                          "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "!"]
    static let collectionTags: Set<String> = ["tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "!"]

    private mutating func checkTag(_ tag: String?, at position: SourcePosition, scalar: Bool) {
        guard let tag, !(scalar ? Self.scalarTags : Self.collectionTags).contains(tag) else { return }
        let shown = tag.hasPrefix("tag:yaml.org,2002:") ? "!!" + tag.dropFirst("tag:yaml.org,2002:".count) : tag
        diagnostics.append(Diagnostic(
            .error, code: .unsupportedTag, "the tag '\(shown)' is not supported here", location: location(position),
            hint: scalar ? "use plain values; !!str, !!int, !!float, !!bool and !!null are understood" : "remove the tag"))
    }

    /// A scalar tagged `!!int`, `!!float` or `!!bool` must read as that type.
    private mutating func checkTagged(_ tag: String?, _ resolved: ResolvedScalar, _ text: String, at position: SourcePosition) {
        guard let tag, case .string = resolved else { return }
        let expected: String
        switch tag {
        case "tag:yaml.org,2002:int": expected = "an integer"
        case "tag:yaml.org,2002:float": expected = "a number"
        case "tag:yaml.org,2002:bool": expected = "a boolean"
        default: return
        }
        diagnostics.append(Diagnostic(.error, code: .invalidTaggedValue, "'\(text)' is tagged as \(expected) but is not one",
                                      location: location(position)))
    }

    /// `0400`: a plain integer with a leading zero, which YAML 1.1 reads as octal.
    static func isAmbiguousOctal(_ text: String) -> Bool {
        let digits = text.hasPrefix("-") || text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        return digits.count > 1 && digits.hasPrefix("0") && digits.allSatisfy(\.isNumber)
    }

    static func kind(of value: JSONValue, _ flags: SourceMap.Flags) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int: return "an integer"
        case .double: return flags.contains(.integerOverflow) ? "an integer" : "a number"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "a mapping"
        }
    }

    // MARK: Errors

    private func location(_ position: SourcePosition) -> SourceLocation {
        SourceLocation(file: file, position: position)
    }

    private func location(of mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    private mutating func fail(_ message: String, at position: SourcePosition, code: DiagnosticCode, hint: String? = nil) throws -> Never {
        diagnostics.append(Diagnostic(.error, code: code, message, location: location(position), hint: hint))
        throw Stop()
    }

    private mutating func failSyntax() throws -> Never {
        let problem = Self.optionalString(parser.pointee.problem) ?? "invalid YAML"
        var message = problem
        if let context = Self.optionalString(parser.pointee.context) { message += " " + context }
        let place: SourceLocation
        if parser.pointee.error == YAML_READER_ERROR {
            // Reader errors (bad encoding, control characters) carry a byte offset, not a mark.
            place = locationOfByte(Int(parser.pointee.problem_offset))
            if parser.pointee.problem_value >= 0 {
                message += " (byte 0x" + String(parser.pointee.problem_value, radix: 16, uppercase: true) + ")"
            }
            if problem.contains("UTF-8") || problem.contains("UTF-16") {
                message = "the text is not valid UTF-8 here: " + message
            }
        } else {
            place = location(of: parser.pointee.problem_mark)
        }
        var hint = Self.syntaxHint(for: message)
        if parser.pointee.context != nil, parser.pointee.error != YAML_READER_ERROR {
            let start = Int(parser.pointee.context_mark.line) + 1
            if start != place.line {
                hint = (hint.map { $0 + "; " } ?? "") + "check this line's indentation against the block that starts on line \(start)"
            }
        }
        diagnostics.append(Diagnostic(.error, code: .yamlSyntax, message, location: place, hint: hint))
        throw Stop()
    }

    private func locationOfByte(_ offset: Int) -> SourceLocation {
        var line = 1, column = 1
        let end = min(offset, input.count)
        for index in 0..<end {
            let byte = input[index]
            if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return SourceLocation(file: file, line: line, column: column)
    }

    static func syntaxHint(for message: String) -> String? {
        if message.contains("not valid UTF-8") {
            return "save the file as UTF-8"
        }
        if message.contains("control characters") {
            return "remove the control character (a NUL byte or similar); YAML allows only printable text, tabs and line breaks"
        }
        if message.contains("cannot start any token") {
            return "YAML indents with spaces only; a tab or a stray character sits here"
        }
        if message.contains("mapping values are not allowed") {
            return "a value holding ': ' must be quoted, or a key is indented wrongly"
        }
        return nil
    }

    // MARK: libyaml values

    static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?, length: Int) -> String {
        guard let pointer else { return "" }
        return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    static func optionalString(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    static func optionalString(_ pointer: UnsafePointer<CChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}
