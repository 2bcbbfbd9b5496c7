import Foundation

/// The group of each layer in `model.weights.h5`. Keras 3 does not use the layer's name there
/// (names are generated and vary between two builds of one model) but its class name in snake
/// case, numbered among the model's layers of that class in order: `dense`, `dense_1`, …,
/// `conv2d_transpose` (saving_lib's `_save_container_state`, `naming.to_snake_case`).
enum WeightGroupNames {
    static func groups(forClasses classes: [String]) -> [String] {
        var used: [String: Int] = [:]
        return classes.map { className in
            let base = snakeCase(className)
            if let n = used[base] {
                used[base] = n + 1
                return "\(base)_\(n + 1)"
            }
            used[base] = 0
            return base
        }
    }

    /// keras.src.utils.naming.to_snake_case: Conv2DTranspose → conv2d_transpose, LSTM → lstm.
    static func snakeCase(_ name: String) -> String {
        var s = replace(name, #"\W+"#, with: "")
        s = replace(s, "(.)([A-Z][a-z]+)", with: "$1_$2")
        s = replace(s, "([a-z])([A-Z])", with: "$1_$2")
        return s.lowercased()
    }

    private static func replace(_ s: String, _ pattern: String, with template: String) -> String {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: template)
    }
}
