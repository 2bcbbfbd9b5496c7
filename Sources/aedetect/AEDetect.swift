import ArgumentParser
import Benchmarks
import CPUCheck
import CommandSupport

@main
struct AEDetect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aedetect",
        abstract: "Anomaly detection with autoencoders: fit on normal data, score new data, report outliers.",
        version: ToolVersion.string,
        subcommands: [Fit.self, Import.self, Score.self, Merge.self, Evaluate.self, Encode.self, Denoise.self, Render.self, Inspect.self, Convert.self, Export.self, Demo.self, Bench.self,
                      Finetune.self, Classify.self])

    static func main() {
        aedetect_check_cpu()   // already done by a constructor before main; kept here so the check is linked and visible
        MemoryPolicy.apply()
        main(nil)
    }
}
