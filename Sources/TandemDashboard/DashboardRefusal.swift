import HTTPTypes

/// A refusal the handlers throw; the middleware answers it as JSON.
struct DashboardRefusal: Error, CustomStringConvertible {
    var status: HTTPResponse.Status
    var reason: String

    init(_ status: HTTPResponse.Status, _ reason: String) {
        self.status = status
        self.reason = reason
    }

    var description: String { reason }
}
