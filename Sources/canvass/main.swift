import CanvassCLI
import Foundation

// The only place that reads CommandLine, wires the real streams and signals, and calls exit.
let interrupt = InterruptFlag()
interrupt.install()
let context = CLIContext(
    standardOutput: FileSink(FileHandle.standardOutput),
    standardError: FileSink(FileHandle.standardError),
    makeInput: { StandardInput(interrupt: interrupt) },
    wasInterrupted: { interrupt.isSet },
    waitForTermination: { interrupt.wait() },
    environment: ProcessInfo.processInfo.environment)
exit(Canvass(context: context).run(Array(CommandLine.arguments.dropFirst())))
