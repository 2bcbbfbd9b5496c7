extension FineTune {
    /// The fine-tuning recipe `finetune` uses by default (reports/quality.md, "Pretraining",
    /// says how it was chosen). With fresh weights (`scratch`) the encoder trains from the first
    /// step at the head's rate, since freezing random features would not be a fair comparison.
    public static func recipe(scratch: Bool) -> FineTuneOptions {
        var o = FineTuneOptions()
        if scratch { o.encoderRate = 1 }
        return o
    }
}
