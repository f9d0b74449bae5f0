import Foundation
import KubeClient
import TandemDeploy
import TandemJSON
import TandemRendering

/// `status --watch`: the status drawn again whenever the application changes, from watches of
/// its objects, pods and events, until Ctrl-C. On a terminal the screen is redrawn; into a file
/// or a pipe, each new state follows the last after a blank line.
enum StatusWatch {
    static func run(_ watch: HealthWatch, render: @escaping @Sendable (ApplicationHealth) -> String) async throws {
        let redraws = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
        let printer = StatusPrinter(redraws: redraws)
        try await watch.follow { health in await printer.show(render(health)) }
    }
}

/// Writes each new state once, in order.
private actor StatusPrinter {
    let redraws: Bool
    private var shown = 0

    init(redraws: Bool) { self.redraws = redraws }

    func show(_ text: String) {
        if redraws {
            // Home, clear the screen, draw.
            Output.standardOutput("\u{1B}[H\u{1B}[2J" + text)
        } else {
            Output.standardOutput((shown > 0 ? "\n" : "") + text)
        }
        shown += 1
    }
}
