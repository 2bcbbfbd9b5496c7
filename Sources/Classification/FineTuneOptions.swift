/// How `finetune` trains a classifier. The defaults are the recipe chosen on validation data
/// (reports/quality.md, "Pretraining"); a user does not need to know them.
public struct FineTuneOptions: Codable, Equatable, Sendable {
    /// Stage 1 (the head on the encoder's features): optimisation steps over the labelled samples.
    public var steps = 500
    /// Learning rate of the head (Adam); the encoder's is this times `encoderRate`.
    public var learningRate: Float = 0.003
    /// The encoder's learning rate relative to the head's in stage 1 (0: frozen).
    public var encoderRate: Float = 1
    /// L2 penalty λ·‖W‖² on the head's kernel in stage 1.
    public var weightDecay: Float = 0.001
    /// Random shifts of the labelled images by up to this many pixels each way (0: none).
    public var shift = 2
    public var batchSize = 128
    public var seed: UInt64 = 0
    /// Share of the labelled samples held out (stratified, at least one per class when possible)
    /// to choose the best weights; never trained on.
    public var validationFraction = 0.1
    /// Stage 2 (self-training): rounds of pseudo-labelling the unlabelled images with the
    /// current classifier's most confident predictions, then training every layer on them and
    /// the labelled samples. 0, or no unlabelled images, skips it.
    public var rounds = 6
    /// Pseudo-labels kept per class in each round (the last value for later rounds): all the
    /// propagated ones (up to 6,000 a class) from the first round; the classifier's own were
    /// taken 500, 1,000, 2,000, 4,000, 6,000 (`FineTune.recipe(scratch:propagation: false)`).
    public var pseudoPerClass = [6000]
    /// Steps of each self-training round and their learning rate (every layer).
    public var roundSteps = 1500
    public var roundLearningRate: Float = 0.001
    /// Evaluate the held-out slice every this many steps of stage 1.
    public var evaluateEvery = 50
    /// Weight of the consistency loss on the unlabelled images (two random shifts, the same
    /// prediction), in stage 1 (ramped up over its first half) and the rounds; 0: none.
    public var consistency: Float = 1
    /// A held-out slice smaller than this does not choose the weights: the last stage's are kept
    /// (at 100 labels the slice is 10 images, one image 10 points of held-out accuracy).
    public var keepLastBelow = 50
    /// Pseudo-labels from the encoder's code: the self-training rounds take each unlabelled
    /// image's class and confidence from label propagation (`LabelPropagation`) over a graph
    /// joining every image, unlabelled and labelled, to its this many most cosine-similar
    /// others by code; 0: from the classifier's own predictions.
    public var propagationNeighbours = 10
    /// The graph from the encoder's code at each round (true) or from the code before any
    /// training (false: the autoencoder's encoder, or the fresh weights, as given).
    public var propagationCurrent = false
    /// α of the propagation (the weight of the neighbours against the seeds).
    public var propagationAlpha: Float = 0.99
    /// Share of the classifier's probabilities mixed into the propagated distribution (0: none).
    public var propagationMix: Float = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case steps, learningRate = "learning_rate", encoderRate = "encoder_rate", weightDecay = "weight_decay", shift
        case batchSize = "batch_size", seed, validationFraction = "validation_fraction", rounds
        case pseudoPerClass = "pseudo_per_class", roundSteps = "round_steps", roundLearningRate = "round_learning_rate"
        case evaluateEvery = "evaluate_every", consistency, keepLastBelow = "keep_last_below"
        case propagationNeighbours = "propagation_neighbours", propagationCurrent = "propagation_current"
        case propagationAlpha = "propagation_alpha", propagationMix = "propagation_mix"
    }

    /// Files written before a setting existed read it as off.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func read<T: Decodable>(_ key: CodingKeys, _ value: inout T) throws { value = try c.decodeIfPresent(T.self, forKey: key) ?? value }
        try read(.steps, &steps); try read(.learningRate, &learningRate); try read(.encoderRate, &encoderRate)
        try read(.weightDecay, &weightDecay); try read(.shift, &shift); try read(.batchSize, &batchSize); try read(.seed, &seed)
        try read(.validationFraction, &validationFraction); try read(.rounds, &rounds); try read(.pseudoPerClass, &pseudoPerClass)
        try read(.roundSteps, &roundSteps); try read(.roundLearningRate, &roundLearningRate); try read(.evaluateEvery, &evaluateEvery)
        // Not the defaults: those files were trained without these.
        consistency = try c.decodeIfPresent(Float.self, forKey: .consistency) ?? 0
        keepLastBelow = try c.decodeIfPresent(Int.self, forKey: .keepLastBelow) ?? 0
        propagationNeighbours = try c.decodeIfPresent(Int.self, forKey: .propagationNeighbours) ?? 0
        try read(.propagationCurrent, &propagationCurrent); try read(.propagationAlpha, &propagationAlpha)
        try read(.propagationMix, &propagationMix)
    }
}
