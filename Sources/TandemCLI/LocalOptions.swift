import ArgumentParser

/// `tandem up --local`: run on this machine through podman instead of on a cluster.
struct LocalUpOptions: ParsableArguments {
    @Flag(name: .customLong("local"), help: "Run the application on this machine through podman, not on a cluster.")
    var local = false

    @Flag(name: [.customShort("d"), .customLong("detach")], help: "With --local: return once ready and leave it running.")
    var detach = false

    @Option(name: .customLong("with"), help: ArgumentHelp(
        "With --local: a file of Kubernetes Secrets and ConfigMaps the pods read (may be repeated).", valueName: "file"))
    var with: [String] = []

    @Flag(name: .customLong("publish"), help: "With --local: publish every declared container port on this machine (its hostPort, else the same number).")
    var publish = false

    @Flag(name: .customLong("run-cronjobs"), help: "With --local: run each CronJob once, at start, as a Job.")
    var runCronJobs = false

    func validate() throws {
        if !local, detach || !with.isEmpty || publish || runCronJobs {
            throw ValidationError("-d, --with, --publish and --run-cronjobs go with --local")
        }
    }
}
