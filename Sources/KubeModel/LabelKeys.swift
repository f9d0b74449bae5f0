/// The label and annotation keys Tandem stamps on what it renders and applies.
public enum LabelKeys {
    public static let appName = "app.oam.dev/name"
    public static let component = "app.oam.dev/component"
    public static let namespace = "app.oam.dev/namespace"
    public static let workloadType = "workload.oam.dev/type"
    public static let traitType = "trait.oam.dev/type"
}
