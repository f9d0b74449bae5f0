import AsyncHTTPClient
import Foundation

/// The proxy to reach the server through: the kubeconfig's `proxy-url`, else `HTTPS_PROXY` /
/// `HTTP_PROXY` unless `NO_PROXY` names the host, as kubectl honours them.
enum ProxySettings {
    static func proxy(explicit: String?, scheme: String, host: String,
                      environment: [String: String]) throws -> HTTPClient.Configuration.Proxy? {
        var text = explicit
        if text == nil {
            let names = scheme == "https" ? ["HTTPS_PROXY", "https_proxy"] : ["HTTP_PROXY", "http_proxy"]
            text = names.lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
            if text != nil, bypasses(host, environment["NO_PROXY"] ?? environment["no_proxy"] ?? "") { return nil }
        }
        guard let text, !text.isEmpty else { return nil }
        let withScheme = text.contains("://") ? text : "http://" + text
        guard let url = URL(string: withScheme), let proxyHost = url.host, let proxyScheme = url.scheme else {
            throw KubeError.configuration("the proxy is not a URL: \(text)")
        }
        switch proxyScheme {
        case "http", "https":
            let authorization = url.user.map { HTTPClient.Authorization.basic(username: $0, password: url.password ?? "") }
            return .server(host: proxyHost, port: url.port ?? 80, authorization: authorization)
        case "socks5":
            return .socksServer(host: proxyHost, port: url.port ?? 1080)
        default:
            throw KubeError.configuration("the proxy \(proxyScheme)://\(proxyHost) uses a scheme tandem cannot use (http, https or socks5)")
        }
    }

    /// `NO_PROXY`: `*`, exact hosts, domain suffixes (`.example.com` or `example.com`), IPs.
    static func bypasses(_ host: String, _ list: String) -> Bool {
        for entry in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !entry.isEmpty {
            if entry == "*" { return true }
            let name = entry.split(separator: ":").first.map(String.init) ?? entry
            let bare = name.hasPrefix(".") ? String(name.dropFirst()) : name
            let lower = host.lowercased()
            if lower == bare || lower.hasSuffix("." + bare) { return true }
        }
        return false
    }
}
