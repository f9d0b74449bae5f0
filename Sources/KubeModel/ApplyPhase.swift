/// When an object is applied, relative to others: what others refer to goes first. Objects of
/// one phase are applied concurrently; deletes run the phases backwards. Each kind's phase is
/// in `KindCatalog`.
public enum ApplyPhase: Int, Sendable, Comparable, CaseIterable {
    case namespaces
    case definitions
    case serviceAccounts
    case configuration
    case accessControl
    case services
    case workloads
    case rest

    public static func < (lhs: ApplyPhase, rhs: ApplyPhase) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(_ groupKind: GroupKind) {
        self = KindCatalog.entry(for: groupKind).phase
    }
}
