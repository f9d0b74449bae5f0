/// A way out of a `LocalProblem` that lies with whoever started the run, not with the
/// application: the command line or a dashboard each say it in their own words (a flag, a
/// button); the problem's `hint` says only what holds for every one of them.
public enum LocalRemedy: Sendable, Hashable {
    /// A ConfigMap or Secret the pod reads can be given from outside the application.
    case supplyObject
    /// The application already runs locally; stopping that copy lets this one start.
    case stopRunningCopy(application: String, namespace: String)
    /// The host port is taken; the run can go on without publishing ports on the host.
    case withoutPublishing
    /// podman is missing; rendering needs no runtime.
    case renderInstead
}
