import Foundation

/// Cumulative true and false positives when everything with score ≥ `cut` is flagged,
/// for each distinct score `cut` from the highest down.
struct RankedCounts {
    struct Step {
        let cut: Double
        let truePositives: Int
        let falsePositives: Int
    }

    let steps: [Step]
    let positives: Int
    let negatives: Int

    init(scores: [Double], labels: [Bool]) {
        precondition(scores.count == labels.count, "scores and labels differ in length")
        precondition(!scores.contains { $0.isNaN }, "scores must not be NaN")
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var steps: [Step] = []
        var tp = 0, fp = 0
        for (position, index) in order.enumerated() {
            if labels[index] { tp += 1 } else { fp += 1 }
            // Close a step only after the last of a run of tied scores: ties move together.
            let next = position + 1
            if next == order.count || scores[order[next]] != scores[index] {
                steps.append(Step(cut: scores[index], truePositives: tp, falsePositives: fp))
            }
        }
        self.steps = steps
        positives = tp
        negatives = fp
    }
}
