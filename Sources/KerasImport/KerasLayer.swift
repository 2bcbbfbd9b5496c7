import Foundation
import NeuralNet

/// One layer of a Keras config: `{"class_name": "Dense", "config": {"name": "dense", "units": 256, …}}`,
/// with typed readers whose errors name the layer.
struct KerasLayer {
    let className: String
    let name: String
    let config: [String: Any]
    /// The archive, for messages.
    let file: String

    init(_ object: Any, file: String) throws {
        guard let dict = object as? [String: Any], let className = dict["class_name"] as? String,
              let config = dict["config"] as? [String: Any] else {
            throw KerasImportError.inconsistent(file: file, what: "config.json: a layer entry without class_name and config")
        }
        self.className = className
        self.config = config
        self.name = config["name"] as? String ?? "(unnamed)"
        self.file = file
    }

    func refuse(_ why: String) -> KerasImportError {
        .unsupportedLayer(file: file, className: className, name: name, why: why)
    }

    func int(_ key: String) throws -> Int {
        guard let n = config[key] as? Int else { throw refuse("\(key) is missing or not a whole number") }
        return n
    }

    func bool(_ key: String, default fallback: Bool) throws -> Bool {
        guard let value = config[key], !(value is NSNull) else { return fallback }
        guard let b = value as? Bool else { throw refuse("\(key) is not true or false") }
        return b
    }

    func string(_ key: String) -> String? { config[key] as? String }

    /// A size given as a number or a list (kernel_size, strides, pool_size), as a pair.
    func pair(_ key: String) throws -> [Int]? {
        guard let value = config[key], !(value is NSNull) else { return nil }
        if let n = value as? Int { return [n, n] }
        guard let list = value as? [Int], list.count == 2, list.allSatisfy({ $0 > 0 }) else {
            throw refuse("\(key) must be a positive number or a pair of them")
        }
        return list
    }

    func intList(_ key: String) throws -> [Int] {
        guard let list = config[key] as? [Any] else { throw refuse("\(key) is missing") }
        return try list.map {
            guard let n = $0 as? Int else { throw refuse("\(key) must hold whole numbers") }
            return n
        }
    }

    /// An activation aedetect has; anything else is refused by name.
    func activation(_ key: String = "activation") throws -> Activation {
        guard let value = config[key], !(value is NSNull) else { return .linear }
        guard let text = value as? String else { throw refuse("\(key) is a custom or configured activation (only linear, relu, sigmoid, tanh)") }
        guard let a = Activation(rawValue: text) else { throw refuse("\(key) \"\(text)\" is not supported (only linear, relu, sigmoid, tanh)") }
        return a
    }

    /// Refuses the layer unless `key` is absent, null, or one of `allowed`.
    func expect(_ key: String, in allowed: [AnyHashable], _ why: String) throws {
        guard let value = config[key], !(value is NSNull) else { return }
        let same = allowed.contains { candidate in
            if let list = value as? [Int], let want = candidate as? [Int] { return list == want }
            if let n = value as? Int, let want = candidate as? Int { return n == want }
            if let d = value as? Double, let want = candidate as? Double { return d == want }
            if let b = value as? Bool, let want = candidate as? Bool { return b == want }
            if let s = value as? String, let want = candidate as? String { return s == want }
            return false
        }
        if !same { throw refuse("\(key) = \(value) (\(why))") }
    }

    /// Float32 weights and computation: a mixed-precision policy would compute otherwise.
    func requireFloat32() throws {
        let dtype = config["dtype"]
        let name = (dtype as? String) ?? ((dtype as? [String: Any])?["config"] as? [String: Any])?["name"] as? String
        if let name, name != "float32" { throw refuse("dtype policy \(name) (only float32)") }
    }

    /// A layer nested in this one's config (Bidirectional's `layer`, TimeDistributed's `layer`).
    func nested(_ key: String) throws -> KerasLayer {
        guard let inner = config[key] else { throw refuse("it has no \(key)") }
        return try KerasLayer(inner, file: file)
    }
}
