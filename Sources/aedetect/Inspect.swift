import ArgumentParser

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print a Keras-style summary of a preset, architecture file or saved model.")
    func run() throws { print("not yet") }
}
