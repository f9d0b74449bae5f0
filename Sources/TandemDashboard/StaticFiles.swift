import Hummingbird

/// The page's files, compiled into the binary (StaticContent.swift, generated from Static/).
enum StaticFiles {
    case page, script, style

    var text: String {
        switch self {
        case .page: return StaticContent.page
        case .script: return StaticContent.script
        case .style: return StaticContent.style
        }
    }

    var contentType: String {
        switch self {
        case .page: return "text/html; charset=utf-8"
        case .script: return "text/javascript; charset=utf-8"
        case .style: return "text/css; charset=utf-8"
        }
    }

    static func response(_ file: StaticFiles) -> Response {
        Response(status: .ok, headers: [.contentType: file.contentType, .cacheControl: "no-cache"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: file.text + "\n")))
    }
}
