import ArgumentParser

/// `aedetect bench …`. The benchmarks live in this module, apart from the user's commands.

public struct Bench: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks (not tests): training and inference speed, per-layer times, data loading, one-class quality.",
        subcommands: [BenchTrain.self, BenchInfer.self, BenchLayers.self, BenchLoad.self, BenchOneClass.self, BenchFolders.self,
                      BenchPretrain.self])
}
