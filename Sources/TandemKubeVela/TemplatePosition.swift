import TandemCUE

/// Where a problem is in the definition's own template: a conflict CUE locates in a provider's
/// package (`vela/kube`'s schema of `$params.cluster`) is shown at the deepest field on its path
/// that the template writes.
enum TemplatePosition {
    static func of(_ error: CUEError, in root: CUEValue, template: CUEFile) -> CUEPosition {
        guard error.position.file != template.name, error.position.file.hasPrefix("vela/") else { return error.position }
        var best = error.position
        var value = root
        for name in error.path {
            guard let field = value.fields.first(where: { $0.name == name }) else { break }
            if field.position.file == template.name { best = field.position }
            value = field.value
        }
        return best
    }
}
