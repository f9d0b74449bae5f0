import TandemJSON

extension KubeClient {
    /// Opens a streamed answer (a pod's log) and hands on each whole line until the server ends it.
    public func readLines(_ request: KubeRequest, line: (String) async -> Void) async throws {
        let response = try await api.open(stamped(request))
        guard (200..<300).contains(response.status) else {
            var body: [UInt8] = []
            for try await chunk in response.body where body.count < 1 << 20 { body += chunk }
            let status = (try? JSONReader().read(body)).flatMap { APIStatus(json: $0, httpStatus: response.status) }
                ?? APIStatus(code: response.status, reason: "Unknown", message: String(decoding: body.prefix(200), as: UTF8.self))
            throw KubeError.api(request: request.description, status: status)
        }
        var pending: [UInt8] = []
        for try await chunk in response.body {
            pending += chunk
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                await line(String(decoding: pending[..<newline], as: UTF8.self))
                pending.removeSubrange(...newline)
            }
        }
        if !pending.isEmpty { await line(String(decoding: pending, as: UTF8.self)) }
    }
}
