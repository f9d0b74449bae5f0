/// Fields allowed by one definition (or `close()`) in one vertex. Fields of a vertex must be
/// allowed by each of its closed groups; a child field gets the group's child group.
final class CloseGroup {
    private let closedItself: Bool
    private weak var parentGroup: CloseGroup?
    var labels: Set<String> = []
    var patterns: [Value] = []
    var isOpen = false
    var hasStruct = false
    private var children: [Label: CloseGroup] = [:]

    init(closed: Bool, parent: CloseGroup? = nil) {
        closedItself = closed
        parentGroup = parent
    }

    var isClosed: Bool { closedItself || (parentGroup?.isClosed ?? false) }

    func child(_ label: Label) -> CloseGroup {
        if let group = children[label] { return group }
        let group = CloseGroup(closed: false, parent: self)
        children[label] = group
        return group
    }
}
