import TandemJSON

/// What exporting a value gives: its JSON, or every error met on the way (conflicts before
/// incomplete values).
public enum CUEExportOutcome {
    case value(JSONValue)
    case errors([CUEError])
}
