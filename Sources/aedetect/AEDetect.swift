import ArgumentParser

@main
struct AEDetect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aedetect",
        abstract: "Anomaly detection with autoencoders: fit on normal data, score new data, report outliers.",
        version: "0.1.0",
        subcommands: [Fit.self, Score.self, Merge.self, Evaluate.self, Encode.self, Denoise.self, Render.self, Inspect.self, Convert.self, Demo.self, Bench.self,
                      Finetune.self, Classify.self])

    static func main() {
        MemoryPolicy.apply()
        main(nil)
    }
}
