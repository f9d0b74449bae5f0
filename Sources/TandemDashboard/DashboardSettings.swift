/// How the dashboard serves: where it listens and whether it may act.
public struct DashboardSettings: Sendable {
    public var address: String
    /// 0 lets the system choose a free port.
    public var port: Int
    /// The token a request that changes something must present; nil: the dashboard is read-only.
    public var actionsToken: String?

    public init(address: String = "127.0.0.1", port: Int = 8080, actionsToken: String? = nil) {
        self.address = address
        self.port = port
        self.actionsToken = actionsToken
    }
}
