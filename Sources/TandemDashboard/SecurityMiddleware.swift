import HTTPTypes
import Hummingbird

/// Every answer carries a strict Content-Security-Policy and its companions; requests that are
/// neither GET nor POST are refused, as are requests naming another host when the dashboard
/// listens on loopback (a DNS-rebinding page cannot read it); every error is a JSON reason.
struct SecurityMiddleware<Context: RequestContext>: RouterMiddleware {
    static var contentSecurityPolicy: String {
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    }

    /// The Host values accepted; nil accepts any (the dashboard listens beyond loopback).
    var allowedHosts: @Sendable () -> Set<String>?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        if let hosts = allowedHosts(), !hosts.contains((request.head.authority ?? "").lowercased()) {
            response = JSONResponses.error(.forbidden, "the dashboard answers only requests addressed to its own loopback address")
        } else if request.method != .get && request.method != .head && request.method != .post {
            response = JSONResponses.error(.forbidden, "the dashboard changes things only through POST requests with the actions token")
        } else {
            do {
                response = try await next(request, context)
            } catch let refusal as DashboardRefusal {
                response = JSONResponses.error(refusal.status, refusal.reason)
            } catch let error as HTTPError {
                response = JSONResponses.error(error.status, error.body ?? error.status.reasonPhrase.lowercased())
            } catch {
                response = JSONResponses.error(.internalServerError, "\(error)")
            }
        }
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "no-referrer"
        response.headers[.frameOptions] = "DENY"
        return response
    }
}

extension HTTPField.Name {
    // Both are valid field names: the initialiser fails only on characters a name cannot hold.
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let frameOptions = HTTPField.Name("X-Frame-Options")!
    static let actionsToken = HTTPField.Name(ActionGate.header)!
}
