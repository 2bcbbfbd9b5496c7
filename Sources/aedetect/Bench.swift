import ArgumentParser

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks (not tests): training speed, inference speed, data loading.",
        subcommands: [BenchTrain.self, BenchInfer.self, BenchLoad.self, BenchLayers.self])
}
