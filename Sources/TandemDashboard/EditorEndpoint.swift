import HTTPTypes
import Hummingbird
import TandemJSON

/// `POST /api/validate` with `{"text": "APPLICATION YAML"}`: the diagnostics `tandem validate`
/// prints for it and the objects it renders. The text is bounded as the CLI bounds a file;
/// a body that is not such JSON is a 400 with the reason.
struct EditorEndpoint {
    var hooks: DashboardHooks

    func answer(_ request: Request) async throws -> Response {
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true else {
            // A cross-site form cannot send JSON without the browser asking first.
            throw DashboardRefusal(.unsupportedMediaType, "send the Application as JSON: {\"text\": \"...\"} with Content-Type: application/json")
        }
        // JSON may escape each byte of the text in up to six: room for that, and no more.
        let limit = hooks.maxInputBytes * 6 + 1024
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limit)
        } catch {
            throw DashboardRefusal(.contentTooLarge, "the request is larger than \(limit) bytes; the editor takes Applications of up to "
                + "\(hooks.maxInputBytes) bytes, as tandem validate does")
        }
        let json: JSONValue
        do {
            json = try JSONReader(maxDepth: 8).read(Array(buffer: body))
        } catch {
            throw DashboardRefusal(.badRequest, "the request body is not valid JSON: \(error)")
        }
        guard let text = json["text"]?.string else {
            throw DashboardRefusal(.badRequest, "the request body must be a JSON object with the Application's text as \"text\"")
        }
        return JSONResponses.json(await hooks.check(Array(text.utf8)))
    }
}
