/// A field `label: value`, with `?` (optional) or `!` (required) if written.
public final class CUEField: Sendable {
    public enum Constraint: Sendable { case regular, optional, required }

    public let label: CUELabel
    /// `X` in `X=label: value`: a name for the field, also for quoted labels.
    public let alias: String?
    public let constraint: Constraint
    public let value: CUEExpr
    public let attributes: [String]
    /// The comment lines directly above the field, without `//` (KubeVela's `+usage=` lines).
    public let docComments: [String]
    public let position: CUEPosition

    public init(label: CUELabel, alias: String? = nil, constraint: Constraint, value: CUEExpr, attributes: [String],
                docComments: [String], at position: CUEPosition) {
        self.label = label
        self.alias = alias
        self.constraint = constraint
        self.value = value
        self.attributes = attributes
        self.docComments = docComments
        self.position = position
    }
}
