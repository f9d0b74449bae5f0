/// A `[label]: value` constraint: the label's value (a type or bound) and the constraint.
struct Pattern {
    var label: Value
    var conjunct: Conjunct
    /// `Name` in `[Name=pattern]: value`, bound to the label in `value`.
    var alias: String?
}
