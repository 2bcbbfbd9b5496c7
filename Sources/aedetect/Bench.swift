import ArgumentParser

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks (not tests): training speed, data loading.",
        subcommands: [])
}
