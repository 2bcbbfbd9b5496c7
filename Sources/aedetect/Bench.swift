import ArgumentParser

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks (not tests): training and inference speed, data loading, one-class detection quality.",
        subcommands: [BenchTrain.self, BenchInfer.self, BenchLoad.self, BenchOneClass.self])
}
