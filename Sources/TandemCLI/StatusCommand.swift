import ArgumentParser
import Foundation
import KubeClient
import KubeModel
import TandemDeploy
import TandemJSON
import TandemRendering
import TandemWorkflow

/// Finds an application deployed by `tandem up`: its ApplySet parent and inventory.
struct DeployedApplication {
    var set: ApplySet
    var record: ApplySetRecord
    var inventory: Inventory
    var namespace: String

    static func find(_ name: String, namespace: String, client: KubeClient) async throws -> DeployedApplication? {
        let parent = SecretParent(application: name, namespace: namespace, tooling: "")
        guard let (record, inventory) = try await parent.read(client) else { return nil }
        let set = ApplySet(parent: parent.reference)
        return DeployedApplication(set: set, record: record, inventory: inventory ?? Inventory(application: name, components: []),
                                   namespace: namespace)
    }

    static func notFound(_ name: String, namespace: String) -> CLIFailure {
        CLIFailure("application \(name) is not deployed in namespace \(namespace) (there is no ApplySet parent Secret tandem-\(name), "
            + "nor an Application object)")
    }
}

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the health of a deployed application: components, objects, containers, warnings.",
        discussion: """
            Every component with its workload and the objects its traits made, every container \
            of its pods (sidecars marked) with readiness and restarts, the health verdict and \
            its reason, and recent warning events. Exit code 0 when healthy, 2 when not.

            Example:
              tandem status shop
              tandem status shop -n prod -o json
              tandem status shop --tree --watch
              tandem status shop --endpoints
              tandem status --local shop --tree --watch
            """)

    @Argument(help: ArgumentHelp("The application's name (metadata.name).", valueName: "app"))
    var application: String

    @Option(name: [.short, .long], help: ArgumentHelp("The application's namespace (default: the context's).", valueName: "namespace"))
    var namespace: String?

    @Option(name: .shortAndLong, help: "Output format: text, json or yaml.")
    var output: StatusFormat = .text

    @OptionGroup var cluster: ClusterOptions

    @Flag(name: .customLong("local"), help: "The application runs on this machine (tandem up --local): also shows each probe's last result.")
    var local = false

    @Flag(name: .customLong("tree"), help: "Show the application as a tree: components, objects, pods, containers.")
    var tree = false

    @Flag(name: .customLong("endpoints"), help: "Show where the application can be reached: Services, node ports, Ingress and Gateway hosts (locally: Service ports and published ports).")
    var endpoints = false

    @Flag(name: [.short, .customLong("watch")], help: "Draw the status again whenever it changes, until Ctrl-C.")
    var watch = false

    func validate() throws {
        if endpoints, tree || watch { throw ValidationError("--endpoints goes alone: leave out --tree and --watch") }
    }

    private var view: StatusView {
        StatusView(format: output, tree: tree, width: Terminal.width, colours: StatusTree.colours)
    }

    func run() async throws {
        if local, endpoints {
            try LocalApplication.validate(application, namespace: namespace)
            let state = LocalApplication.state(application, namespace: namespace)
            guard let plan = try? state.readPlan() else { throw LocalApplication.notRunning(application, namespace: namespace) }
            let found = StatusEndpoints.local(plan)
            Output.standardOutput(output == .text ? found.table(application: application, width: Terminal.width)
                : output == .json ? JSONWriter.write(found.json, indentWidth: 2) + "\n" : YAMLWriter.document(found.json))
            return
        }
        if local, watch { return try await StatusWatch.runLocal(application, namespace: namespace, format: output, view: view) }
        if local {
            guard try LocalApplication.status(application, namespace: namespace, format: output, view: view) else { throw ExitCode(2) }
            return
        }
        let session: ClusterSession
        do {
            session = try ClusterSession.open(cluster)
        } catch {
            // No cluster to ask, and an application of that name runs locally: it is probably the one meant.
            guard LocalApplication.isRunning(application, namespace: namespace) else { throw error }
            throw CLIFailure("\(error)\napplication \(application) runs locally: tandem status --local \(application)"
                + (namespace.map { " -n \($0)" } ?? ""))
        }
        let healthy: Bool
        do {
            healthy = try await status(session)
            await session.close()
        } catch {
            await session.close()
            throw CLIFailure.from(error)
        }
        if !healthy { throw ExitCode(2) }
    }

    private func status(_ session: ClusterSession) async throws -> Bool {
        let namespace = self.namespace ?? session.connection.namespace ?? "default"
        let deployed: DeployedApplication
        var managed: ControllerManagedApplication?
        if let found = try await DeployedApplication.find(application, namespace: namespace, client: session.client) {
            deployed = found
        } else {
            guard let found = try await ControllerManagedApplication.find(application, namespace: namespace, client: session.client) else {
                throw DeployedApplication.notFound(application, namespace: namespace)
            }
            managed = found
            guard tree || endpoints || watch else { return show(found) }
            deployed = try await ManagedApplicationInventory.deployed(found, session: session)
        }
        if endpoints {
            let found = try await StatusEndpoints.cluster(deployed.inventory, client: session.client)
            Output.standardOutput(output == .text ? found.table(application: application, width: Terminal.width)
                : output == .json ? JSONWriter.write(found.json, indentWidth: 2) + "\n" : YAMLWriter.document(found.json))
            return true
        }
        let healthWatch = HealthWatch(client: session.client, inventory: deployed.inventory, namespace: namespace, applySet: deployed.set)
        let view = self.view
        let application = self.application
        if watch, let managed {
            try await StatusWatch.run(healthWatch, application: managed.object.reference) { health, status in
                view.render(health, workflow: status?["workflow"].flatMap { try? WorkflowStatus(json: $0, context: [:]) },
                            application: application, controller: status ?? .object(JSONObject()))
            }
            return true
        }
        if watch {
            try await StatusWatch.run(healthWatch) { view.render($0) }
            return true
        }
        let health = try await healthWatch.snapshot()
        if let managed {
            let workflow = managed.status["workflow"].flatMap { try? WorkflowStatus(json: $0, context: [:]) }
            Output.standardOutput(view.render(health, workflow: workflow, application: application, controller: managed.status))
            return health.isHealthy
        }
        // The workflow's steps, when the application has one.
        let record = try await SecretParent(application: application, namespace: namespace, tooling: "").readWorkflow(session.client)
        let workflow = record.flatMap { try? WorkflowStatus(json: $0.status, context: [:]) }
        Output.standardOutput(view.render(health, workflow: workflow, application: application))
        return health.isHealthy
    }

    /// The status the controller wrote on a controller-managed application's object.
    private func show(_ managed: ControllerManagedApplication) -> Bool {
        switch output {
        case .text:
            Output.standardOutput(managed.table(width: Terminal.width))
            if let workflow = managed.status["workflow"], let status = try? WorkflowStatus(json: workflow, context: [:]) {
                Output.standardOutput("\n" + WorkflowText.table(status, application: application))
            }
        case .json: Output.standardOutput(JSONWriter.write(managed.status, indentWidth: 2) + "\n")
        case .yaml: Output.standardOutput(YAMLWriter.document(managed.status))
        }
        return managed.isHealthy
    }
}

enum StatusFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, yaml
}

struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete everything a deployed application owns, and nothing else.",
        discussion: """
            Deletes the members of the application's ApplySet (objects labelled \
            applyset.kubernetes.io/part-of with its id), workloads first and configuration last, \
            then the ApplySet parent and the application's revisions (tandem revisions). Objects \
            the application does not own are never touched.

            Example:
              tandem delete shop
              tandem delete shop -n prod --wait --timeout 2m
            """)

    @Argument(help: ArgumentHelp("The application's name (metadata.name).", valueName: "app"))
    var application: String

    @Option(name: [.short, .long], help: ArgumentHelp("The application's namespace (default: the context's).", valueName: "namespace"))
    var namespace: String?

    @Flag(help: "Wait until every deleted object is gone (finalizers done).")
    var wait = false

    @Option(help: ArgumentHelp("How long --wait waits, like 90s or 5m.", valueName: "duration"))
    var timeout: TimeSpan = TimeSpan(.seconds(300))

    @Flag(name: .customLong("ignore-not-found"), help: "Succeed when the application is not deployed.")
    var ignoreNotFound = false

    @OptionGroup var cluster: ClusterOptions

    func run() async throws {
        let session = try ClusterSession.open(cluster)
        do {
            try await delete(session)
            await session.close()
        } catch {
            await session.close()
            throw CLIFailure.from(error)
        }
    }

    private func delete(_ session: ClusterSession) async throws {
        let namespace = self.namespace ?? session.connection.namespace ?? "default"
        guard let deployed = try await DeployedApplication.find(application, namespace: namespace, client: session.client) else {
            if try await ControllerManagedApplication.find(application, namespace: namespace, client: session.client) != nil {
                throw CLIFailure("application \(application) in namespace \(namespace) is managed by the tandem controller; "
                    + "delete it with kubectl delete application \(application) -n \(namespace) (the controller then deletes what it owns)")
            }
            if ignoreNotFound {
                Output.standardOutput("application \(application) is not deployed in namespace \(namespace); nothing to delete\n")
                return
            }
            throw DeployedApplication.notFound(application, namespace: namespace)
        }
        let deleted = try await ApplicationDeleter(client: session.client).delete(deployed.set, record: deployed.record,
                                                                                  parent: deployed.set.parent) { reference in
            Output.standardOutput("\(reference.kubectlName) deleted\n")
        }
        if wait {
            guard try await ApplicationDeleter(client: session.client).waitUntilGone(deployed.set, record: deployed.record,
                                                                                     timeout: timeout.duration) else {
                throw CLIFailure("the application's objects were deleted, but some are still there after \(timeout) (finalizers?)")
            }
        }
        // Its history goes with it, as helm uninstall deletes a release's.
        let revisions = try await RevisionStore.open(client: session.client, application: application, namespace: namespace).deleteAll()
        Output.standardOutput("application \(application) deleted (\(deleted.count) object\(deleted.count == 1 ? "" : "s"))\n")
        if revisions > 0 { Output.standardOutput("its \(revisions) revision\(revisions == 1 ? "" : "s") deleted\n") }
    }
}
