import ArgumentParser

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks (not tests): training speed, data loading.",
        subcommands: [BenchTrain.self, BenchLoad.self, BenchOneClass.self])
}
