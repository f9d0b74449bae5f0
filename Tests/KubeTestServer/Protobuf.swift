import Foundation
import TandemJSON

/// Reads the protobuf bodies kubectl's typed commands send (`kubectl create namespace`,
/// `create configmap`, `create secret generic`, `create serviceaccount`): the `k8s\0` envelope
/// and those kinds' messages, as JSON. Other kinds are refused with 415; responses are JSON,
/// which those clients accept.
enum ProtobufBody {
    static func decode(_ bytes: [UInt8]) throws(APIError) -> JSONValue {
        guard bytes.starts(with: [0x6b, 0x38, 0x73, 0x00]) else { throw unsupported("no k8s protobuf envelope") }
        var apiVersion = "", kind = ""
        var raw: ArraySlice<UInt8> = []
        var envelope = ProtoReader(bytes[4...])
        while let field = envelope.next() {
            switch (field.number, field.value) {
            case (1, .bytes(let typeMeta)):
                var reader = ProtoReader(typeMeta)
                while let part = reader.next() {
                    if part.number == 1 { apiVersion = part.string }
                    if part.number == 2 { kind = part.string }
                }
            case (2, .bytes(let body)): raw = body
            default: break
            }
        }
        var object = JSONObject()
        object.append("apiVersion", .string(apiVersion))
        object.append("kind", .string(kind))
        var reader = ProtoReader(raw)
        while let field = reader.next() {
            switch (apiVersion, kind, field.number) {
            case (_, _, 1): object["metadata"] = metadata(field.slice)
            case ("v1", "Namespace", 2):
                var spec = ProtoReader(field.slice)
                var finalizers: [JSONValue] = []
                while let part = spec.next() { if part.number == 1 { finalizers.append(.string(part.string)) } }
                if !finalizers.isEmpty { object["spec"] = ["finalizers": .array(finalizers)] }
            case ("v1", "ConfigMap", 2): object["data"] = map(field.slice, into: object["data"]) { .string(String(decoding: $0, as: UTF8.self)) }
            case ("v1", "ConfigMap", 3): object["binaryData"] = map(field.slice, into: object["binaryData"], base64)
            case ("v1", "ConfigMap", 4), ("v1", "Secret", 5): object["immutable"] = .bool(field.integer != 0)
            case ("v1", "Secret", 2): object["data"] = map(field.slice, into: object["data"], base64)
            case ("v1", "Secret", 3) where !field.string.isEmpty: object["type"] = .string(field.string)
            case ("v1", "Secret", 4): object["stringData"] = map(field.slice, into: object["stringData"]) { .string(String(decoding: $0, as: UTF8.self)) }
            case ("v1", "ServiceAccount", 3):
                var reference = ProtoReader(field.slice)
                var name = ""
                while let part = reference.next() { if part.number == 1 { name = part.string } }
                object["imagePullSecrets"] = .array((object["imagePullSecrets"]?.array ?? []) + [["name": .string(name)]])
            case ("v1", "ServiceAccount", 4): object["automountServiceAccountToken"] = .bool(field.integer != 0)
            case ("v1", "Namespace", _), ("v1", "ConfigMap", _), ("v1", "Secret", _), ("v1", "ServiceAccount", _): break
            default: throw unsupported("\(apiVersion) \(kind)")
            }
        }
        return .object(object)
    }

    private static func unsupported(_ what: String) -> APIError {
        APIError(code: 415, reason: "UnsupportedMediaType",
                 message: "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (this test server reads protobuf only for Namespaces, ConfigMaps, Secrets and ServiceAccounts: \(what))",
                 details: [:])
    }

    private static func base64(_ bytes: ArraySlice<UInt8>) -> JSONValue { .string(Data(bytes).base64EncodedString()) }

    /// One `map<string, X>` entry added to the map so far.
    private static func map(_ entry: ArraySlice<UInt8>, into existing: JSONValue?, _ value: (ArraySlice<UInt8>) -> JSONValue) -> JSONValue {
        var result = existing?.object ?? JSONObject()
        var reader = ProtoReader(entry)
        var key = "", item: JSONValue = value([])
        while let part = reader.next() {
            if part.number == 1 { key = part.string }
            if part.number == 2 { item = value(part.slice) }
        }
        result[key] = item
        return .object(result)
    }

    /// The ObjectMeta fields a create sends: names, labels, annotations, finalizers.
    private static func metadata(_ bytes: ArraySlice<UInt8>) -> JSONValue {
        var metadata = JSONObject()
        var reader = ProtoReader(bytes)
        let text: (ArraySlice<UInt8>) -> JSONValue = { .string(String(decoding: $0, as: UTF8.self)) }
        while let field = reader.next() {
            switch field.number {
            // Go's protobuf writes empty strings too; JSON leaves them out.
            case 1, 2, 3:
                guard !field.string.isEmpty else { break }
                metadata[["name", "generateName", "namespace"][field.number - 1]] = .string(field.string)
            case 11: metadata["labels"] = map(field.slice, into: metadata["labels"], text)
            case 12: metadata["annotations"] = map(field.slice, into: metadata["annotations"], text)
            case 14: metadata["finalizers"] = .array((metadata["finalizers"]?.array ?? []) + [.string(field.string)])
            default: break
            }
        }
        return .object(metadata)
    }
}

/// The protobuf wire format: tagged varints, fixed-size numbers and length-delimited bytes.
struct ProtoReader {
    enum Value { case varint(UInt64), bytes(ArraySlice<UInt8>), fixed }

    struct Field {
        var number: Int
        var value: Value

        var slice: ArraySlice<UInt8> {
            if case .bytes(let bytes) = value { return bytes }
            return []
        }

        var string: String { String(decoding: slice, as: UTF8.self) }

        var integer: UInt64 {
            if case .varint(let number) = value { return number }
            return 0
        }
    }

    private var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    private mutating func varint() -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while let byte = bytes.popFirst() {
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { return nil }
        }
        return nil
    }

    /// The next field, or nil at the end (or at malformed input, which ends reading).
    mutating func next() -> Field? {
        guard let tag = varint() else { return nil }
        let number = Int(tag >> 3)
        switch tag & 7 {
        case 0:
            guard let value = varint() else { return nil }
            return Field(number: number, value: .varint(value))
        case 1:
            guard bytes.count >= 8 else { return nil }
            bytes = bytes.dropFirst(8)
            return Field(number: number, value: .fixed)
        case 2:
            guard let length = varint(), length <= UInt64(bytes.count) else { return nil }
            let value = bytes.prefix(Int(length))
            bytes = bytes.dropFirst(Int(length))
            return Field(number: number, value: .bytes(value))
        case 5:
            guard bytes.count >= 4 else { return nil }
            bytes = bytes.dropFirst(4)
            return Field(number: number, value: .fixed)
        default:
            return nil
        }
    }
}
