import TandemJSON

/// A failed request, answered with a `Status` body worded as the real API server words it.
struct APIError: Error, Sendable {
    var code: Int
    var reason: String
    var message: String
    var details: JSONObject?
    /// Extra response headers (`Retry-After`).
    var headers: [(String, String)] = []

    /// The `Status` object: kind, apiVersion, metadata, status, message, reason, details, code.
    var status: JSONValue {
        var body = JSONObject()
        body.append("kind", "Status")
        body.append("apiVersion", "v1")
        body.append("metadata", .object([:]))
        body.append("status", "Failure")
        body.append("message", .string(message))
        body.append("reason", .string(reason))
        if let details { body.append("details", .object(details)) }
        body.append("code", .int(code))
        return .object(body)
    }

    /// `details` of errors about one object: the resource (plural) stands in the `kind` field.
    static func objectDetails(name: String, group: String, resource: String) -> JSONObject {
        var details = JSONObject()
        details.append("name", .string(name))
        if !group.isEmpty { details.append("group", .string(group)) }
        details.append("kind", .string(resource))
        return details
    }

    static func qualified(_ resource: String, _ group: String) -> String {
        group.isEmpty ? resource : "\(resource).\(group)"
    }

    static func notFound(resource: String, group: String, name: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "\(qualified(resource, group)) \"\(name)\" not found",
                 details: objectDetails(name: name, group: group, resource: resource))
    }

    /// A path the server does not serve at all.
    static let pathNotFound = APIError(code: 404, reason: "NotFound", message: "the server could not find the requested resource",
                                       details: [:])

    static func alreadyExists(resource: String, group: String, name: String) -> APIError {
        APIError(code: 409, reason: "AlreadyExists", message: "\(qualified(resource, group)) \"\(name)\" already exists",
                 details: objectDetails(name: name, group: group, resource: resource))
    }

    /// The optimistic-concurrency failure of an update with a stale resourceVersion.
    static func modified(resource: String, group: String, name: String) -> APIError {
        APIError(code: 409, reason: "Conflict",
                 message: "Operation cannot be fulfilled on \(qualified(resource, group)) \"\(name)\": the object has been modified; please apply your changes to the latest version and try again",
                 details: objectDetails(name: name, group: group, resource: resource))
    }

    static func conflict(resource: String, group: String, name: String, _ why: String) -> APIError {
        APIError(code: 409, reason: "Conflict",
                 message: "Operation cannot be fulfilled on \(qualified(resource, group)) \"\(name)\": \(why)",
                 details: objectDetails(name: name, group: group, resource: resource))
    }

    /// One field error of an `Invalid` answer.
    struct Cause: Sendable {
        /// `FieldValueRequired`, `FieldValueInvalid`, `FieldValueForbidden`, `FieldValueNotSupported`...
        var type: String
        var field: String
        /// The message without the field: `Required value`, `Invalid value: "x": why`.
        var detail: String

        static func required(_ field: String, _ why: String = "") -> Cause {
            Cause(type: "FieldValueRequired", field: field, detail: why.isEmpty ? "Required value" : "Required value: \(why)")
        }

        static func invalid(_ field: String, value: String, _ why: String) -> Cause {
            Cause(type: "FieldValueInvalid", field: field, detail: "Invalid value: \(value): \(why)")
        }

        static func forbidden(_ field: String, _ why: String) -> Cause {
            Cause(type: "FieldValueForbidden", field: field, detail: "Forbidden: \(why)")
        }

        static func notSupported(_ field: String, value: String, supported: [String]) -> Cause {
            let list = supported.map { "\"\($0)\"" }.joined(separator: ", ")
            return Cause(type: "FieldValueNotSupported", field: field,
                         detail: "Unsupported value: \(value): supported values: \(list)")
        }
    }

    /// 422: `Kind.group "name" is invalid: field: detail` (several errors in brackets, as Go's aggregate prints).
    static func invalid(kind: String, group: String, name: String, _ causes: [Cause]) -> APIError {
        let errors = causes.map { "\($0.field): \($0.detail)" }
        let summary = errors.count == 1 ? errors[0] : "[" + errors.joined(separator: ", ") + "]"
        var details = JSONObject()
        details.append("name", .string(name))
        if !group.isEmpty { details.append("group", .string(group)) }
        details.append("kind", .string(kind))
        details.append("causes", .array(causes.map { cause in
            ["reason": .string(cause.type), "message": .string(cause.detail), "field": .string(cause.field)]
        }))
        let qualifiedKind = group.isEmpty ? kind : "\(kind).\(group)"
        return APIError(code: 422, reason: "Invalid", message: "\(qualifiedKind) \"\(name)\" is invalid: \(summary)", details: details)
    }

    static func badRequest(_ message: String) -> APIError {
        APIError(code: 400, reason: "BadRequest", message: message, details: nil)
    }

    static func forbidden(resource: String, group: String, name: String, _ why: String) -> APIError {
        APIError(code: 403, reason: "Forbidden", message: "\(qualified(resource, group)) \"\(name)\" is forbidden: \(why)",
                 details: objectDetails(name: name, group: group, resource: resource))
    }

    static let unauthorized = APIError(code: 401, reason: "Unauthorized", message: "Unauthorized", details: nil)

    static let methodNotAllowed = APIError(code: 405, reason: "MethodNotAllowed",
                                           message: "the server does not allow this method on the requested resource", details: [:])

    static func unsupportedMediaType(_ contentType: String) -> APIError {
        APIError(code: 415, reason: "UnsupportedMediaType",
                 message: "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got \(contentType))",
                 details: [:])
    }

    /// 410 for a resourceVersion older than the history the server keeps.
    static func expired(requested: Int, oldest: Int) -> APIError {
        APIError(code: 410, reason: "Expired", message: "too old resource version: \(requested) (\(oldest))", details: nil)
    }

    static func internalError(_ why: String) -> APIError {
        APIError(code: 500, reason: "InternalError", message: "Internal error occurred: \(why)",
                 details: ["causes": [["message": .string(why)]]])
    }

    /// What an injected status fault answers: the real server's wording for each code.
    static func injected(code: Int, retryAfterSeconds: Int?) -> APIError {
        var error: APIError
        switch code {
        case 429:
            error = APIError(code: 429, reason: "TooManyRequests", message: "Too many requests, please try again later.", details: [:])
        case 500:
            error = internalError("injected fault")
        case 503:
            error = APIError(code: 503, reason: "ServiceUnavailable", message: "The server is currently unable to handle the request",
                             details: [:])
        case 504:
            error = APIError(code: 504, reason: "Timeout", message: "The server was unable to return a response in the time allotted, but may still be processing the request",
                             details: [:])
        case 409:
            error = APIError(code: 409, reason: "Conflict", message: "Operation cannot be fulfilled: injected conflict", details: [:])
        default:
            error = APIError(code: code, reason: "", message: "injected fault", details: [:])
        }
        if let retryAfterSeconds {
            error.details = (error.details ?? [:])
            error.details?["retryAfterSeconds"] = .int(retryAfterSeconds)
            error.headers.append(("Retry-After", String(retryAfterSeconds)))
        }
        return error
    }
}
