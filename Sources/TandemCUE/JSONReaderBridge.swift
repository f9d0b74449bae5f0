import TandemJSON

/// Reading JSON text into a value, for `json.Unmarshal`, `yaml.Unmarshal` and `strconv.Unquote`.
enum JSONReaderBridge {
    static func read(_ text: String) throws(JSONReader.Failure) -> JSONValue {
        try JSONReader(maxDepth: 200).read(text)
    }
}
