import CYaml
import TandemModel

/// Reads YAML text into documents of `YAMLNode`s with positions, driving libyaml's event parser
/// directly so that duplicate keys, aliases, depth and size are checked as the text is read.
public struct YAMLReader {
    public var limits: ReadLimits

    public init(limits: ReadLimits = .default) {
        self.limits = limits
    }

    /// The documents of `bytes`, and the problems found. A syntax error ends the reading; the
    /// documents read before it are returned.
    public func read(_ bytes: [UInt8], file: String) -> (documents: [YAMLNode], diagnostics: [Diagnostic]) {
        if bytes.count > limits.maxBytes {
            let diagnostic = Diagnostic(
                .error, code: "input-too-large",
                "the input is larger than the limit of \(limits.maxBytes) bytes",
                location: SourceLocation(file: file, line: 1, column: 1),
                hint: "raise the limit with --max-input-bytes if this input is expected")
            return ([], [diagnostic])
        }
        var session = ReadSession(bytes: bytes, file: file, limits: limits)
        return bytes.withUnsafeBufferPointer { buffer in
            session.run(buffer)
            return (session.documents, session.diagnostics)
        }
    }
}

/// The state of one read: libyaml's parser, the anchors seen, and what was found.
private struct ReadSession {
    let bytes: [UInt8]
    let file: String
    let limits: ReadLimits
    var documents: [YAMLNode] = []
    var diagnostics: [Diagnostic] = []
    var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    var aliasExpansion = 0
    var parser = yaml_parser_t()

    init(bytes: [UInt8], file: String, limits: ReadLimits) {
        self.bytes = bytes
        self.file = file
        self.limits = limits
    }

    /// Thrown to stop reading once a diagnostic has been recorded.
    struct Stop: Error {}

    mutating func run(_ buffer: UnsafeBufferPointer<UInt8>) {
        guard yaml_parser_initialize(&parser) == 1 else {
            diagnostics.append(Diagnostic(.error, code: "yaml-syntax", "could not start the YAML parser", location: location(line: 1, column: 1)))
            return
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
        do {
            while true {
                var event = try nextEvent()
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return
                case YAML_DOCUMENT_START_EVENT:
                    if documents.count == limits.maxDocuments {
                        diagnostics.append(Diagnostic(
                            .error, code: "too-many-documents",
                            "the file has more than \(limits.maxDocuments) documents",
                            location: location(of: event.start_mark)))
                        return
                    }
                    anchors.removeAll(keepingCapacity: true)
                    let (root, _) = try readNode(depth: 0)
                    documents.append(root)
                    var end = try nextEvent()  // DOCUMENT-END
                    yaml_event_delete(&end)
                default:
                    continue  // STREAM-START
                }
            }
        } catch {
            return
        }
    }

    /// Reads one node starting with the next event; returns it and the number of nodes it holds.
    mutating func readNode(depth: Int) throws -> (YAMLNode, Int) {
        var event = try nextEvent()
        defer { yaml_event_delete(&event) }
        let position = SourcePosition(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
        switch event.type {
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            guard scalar.length <= limits.maxScalarBytes else {
                try fail("a value of \(scalar.length) bytes is longer than the limit of \(limits.maxScalarBytes) bytes",
                         at: position, code: "value-too-long")
            }
            let text = Self.string(scalar.value, length: scalar.length)
            let tag = Self.optionalString(scalar.tag)
            checkTag(tag, at: position, scalar: true)
            let node = YAMLNode(.scalar(YAMLScalar(text, style: Self.style(scalar.style))), at: position, tag: tag)
            checkTagged(node)
            register(anchor: scalar.anchor, node: node, size: 1)
            return (node, 1)
        case YAML_ALIAS_EVENT:
            let name = Self.optionalString(event.data.alias.anchor) ?? ""
            guard let anchored = anchors[name] else {
                try fail("unknown alias '*\(name)': no anchor '&\(name)' comes before it", at: position, code: "yaml-alias")
            }
            aliasExpansion += anchored.size
            if aliasExpansion > limits.maxAliasExpansion {
                try fail("aliases expand to more than \(limits.maxAliasExpansion) nodes; refusing the document",
                         at: position, code: "alias-expansion",
                         hint: "this looks like a \"billion laughs\" document; write the values out or use fewer nested aliases")
            }
            var node = anchored.node
            node.position = position  // problems with the repeated value point at the alias
            return (node, anchored.size)
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            guard depth < limits.maxDepth else {
                try fail("the document nests deeper than \(limits.maxDepth) levels", at: position, code: "too-deep")
            }
            let isMapping = event.type == YAML_MAPPING_START_EVENT
            let anchor = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
            let tag = Self.optionalString(isMapping ? event.data.mapping_start.tag : event.data.sequence_start.tag)
            checkTag(tag, at: position, scalar: false)
            var size = 1
            let node: YAMLNode
            if isMapping {
                var pairs: [YAMLPair] = []
                var seen: [String: Int] = [:]  // used once a mapping grows past a few keys
                while case let (key, keySize)? = try readChild(depth: depth + 1) {
                    guard case let (value, valueSize)? = try readChild(depth: depth + 1) else { break }
                    size += keySize + valueSize
                    if let scalar = key.scalar, scalar.style == .plain, scalar.text == "<<" {
                        // YAML 1.1 merge keys: Kubernetes' own reader takes them, the YAML 1.2 core schema does not.
                        diagnostics.append(Diagnostic(
                            .error, code: "merge-key", "merge keys (<<) are not supported", location: location(key.position),
                            hint: "write the merged keys out in this mapping"))
                        continue
                    }
                    if let text = key.scalar?.text {
                        // Most mappings are small: a scan beats hashing every key; large ones hash.
                        if pairs.count == 16 {
                            for pair in pairs { if let seenText = pair.key.scalar?.text { seen[seenText] = pair.key.position.line } }
                        }
                        let firstLine = pairs.count < 16
                            ? pairs.first(where: { $0.key.scalar?.text == text })?.key.position.line
                            : seen[text]
                        if let firstLine {
                            diagnostics.append(Diagnostic(
                                .error, code: "duplicate-key",
                                "duplicate key '\(text)'; it is already set on line \(firstLine)",
                                location: location(key.position),
                                hint: "a mapping takes each key once (Kubernetes rejects duplicates too); remove one of them"))
                            continue
                        }
                        if pairs.count >= 16 { seen[text] = key.position.line }
                    }
                    pairs.append(YAMLPair(key: key, value: value))
                }
                node = YAMLNode(.mapping(pairs), at: position, tag: tag)
            } else {
                var items: [YAMLNode] = []
                while case let (item, itemSize)? = try readChild(depth: depth + 1) {
                    size += itemSize
                    items.append(item)
                }
                node = YAMLNode(.sequence(items), at: position, tag: tag)
            }
            register(anchor: anchor, node: node, size: size)
            return (node, size)
        default:
            try fail("unexpected YAML event", at: position, code: "yaml-syntax")
        }
    }

    /// The next child of a collection, or `nil` at the collection's end event.
    mutating func readChild(depth: Int) throws -> (YAMLNode, Int)? {
        var peek = yaml_event_t()
        // libyaml has no peek: parse the end events here and hand the rest to readNode via a replay.
        guard yaml_parser_parse(&parser, &peek) == 1 else { try failSyntax() }
        if peek.type == YAML_SEQUENCE_END_EVENT || peek.type == YAML_MAPPING_END_EVENT {
            yaml_event_delete(&peek)
            return nil
        }
        pending = peek
        return try readNode(depth: depth)
    }

    var pending: yaml_event_t?

    mutating func nextEvent() throws -> yaml_event_t {
        if let event = pending {
            pending = nil
            return event
        }
        var event = yaml_event_t()
        guard yaml_parser_parse(&parser, &event) == 1 else { try failSyntax() }
        return event
    }

    /// The tags Tandem understands; any other would change a value's meaning in ways it cannot follow.
    static let scalarTags: Set<String> = ["tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                                          "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "!"]
    static let collectionTags: Set<String> = ["tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "!"]

    mutating func checkTag(_ tag: String?, at position: SourcePosition, scalar: Bool) {
        guard let tag, !(scalar ? Self.scalarTags : Self.collectionTags).contains(tag) else { return }
        let shown = tag.hasPrefix("tag:yaml.org,2002:") ? "!!" + tag.dropFirst("tag:yaml.org,2002:".count) : tag
        diagnostics.append(Diagnostic(
            .error, code: "unsupported-tag", "the tag '\(shown)' is not supported here", location: location(position),
            hint: scalar ? "use plain values; !!str, !!int, !!float, !!bool and !!null are understood" : "remove the tag"))
    }

    /// A scalar tagged `!!int`, `!!float` or `!!bool` must read as that type.
    mutating func checkTagged(_ node: YAMLNode) {
        guard let tag = node.tag, let resolved = node.resolved else { return }
        let expected: String
        switch (tag, resolved) {
        case ("tag:yaml.org,2002:int", .string): expected = "an integer"
        case ("tag:yaml.org,2002:float", .string): expected = "a number"
        case ("tag:yaml.org,2002:bool", .string): expected = "a boolean"
        default: return
        }
        diagnostics.append(Diagnostic(
            .error, code: "invalid-tagged-value",
            "'\(node.scalar?.text ?? "")' is tagged as \(expected) but is not one", location: location(node.position)))
    }

    mutating func register(anchor: UnsafeMutablePointer<yaml_char_t>?, node: YAMLNode, size: Int) {
        guard let name = Self.optionalString(anchor) else { return }
        anchors[name] = (node, size)
    }

    // MARK: Errors

    func location(line: Int, column: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column)
    }

    func location(of mark: yaml_mark_t) -> SourceLocation {
        location(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    func location(_ position: SourcePosition) -> SourceLocation {
        SourceLocation(file: file, position: position)
    }

    mutating func fail(_ message: String, at position: SourcePosition, code: String, hint: String? = nil) throws -> Never {
        diagnostics.append(Diagnostic(.error, code: code, message, location: location(position), hint: hint))
        throw Stop()
    }

    mutating func failSyntax() throws -> Never {
        let problem = Self.optionalString(parser.problem) ?? "invalid YAML"
        var message = problem
        if let context = Self.optionalString(parser.context) { message += " " + context }
        let where_: SourceLocation
        if parser.error == YAML_READER_ERROR {
            // Reader errors (bad encoding, control characters) carry a byte offset, not a mark.
            where_ = locationOfByte(Int(parser.problem_offset))
            if parser.problem_value >= 0 {
                message += " (byte 0x" + String(parser.problem_value, radix: 16, uppercase: true) + ")"
            }
            if problem.contains("UTF-8") || problem.contains("UTF-16") {
                message = "the text is not valid UTF-8 here: " + message
            }
        } else {
            where_ = location(of: parser.problem_mark)
        }
        var hint = Self.syntaxHint(for: message)
        if parser.context != nil, parser.error != YAML_READER_ERROR {
            let start = Int(parser.context_mark.line) + 1
            if start != where_.line {
                hint = (hint.map { $0 + "; " } ?? "") + "check this line's indentation against the block that starts on line \(start)"
            }
        }
        diagnostics.append(Diagnostic(.error, code: "yaml-syntax", message, location: where_, hint: hint))
        throw Stop()
    }

    func locationOfByte(_ offset: Int) -> SourceLocation {
        var line = 1, column = 1
        var index = 0
        let end = min(offset, bytes.count)
        while index < end {
            let byte = bytes[index]
            if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return location(line: line, column: column)
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

    static func style(_ style: yaml_scalar_style_t) -> YAMLScalar.Style {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: return .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: return .literal
        case YAML_FOLDED_SCALAR_STYLE: return .folded
        default: return .plain
        }
    }
}
