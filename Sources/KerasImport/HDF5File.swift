import CHDF5
import Foundation

/// An HDF5 file opened read-only from bytes in memory (libhdf5's core driver with a file
/// image), so that the weights of a `.keras` archive need no temporary file.
/// libhdf5 (Debian's serial build) is not thread-safe: use one file from one thread at a time.
final class HDF5File {
    private let file: hid_t
    /// Where the bytes came from, for messages (`model.keras:model.weights.h5`).
    let name: String

    init(bytes: Data, name: String) throws {
        self.name = name
        guard H5open() >= 0 else { throw HDF5Error(file: name, message: "libhdf5 did not initialise") }
        chdf5_silence_errors()
        guard bytes.count >= 8, bytes.prefix(8).elementsEqual([0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]) else {
            throw HDF5Error(file: name, message: "not an HDF5 file (signature missing)")
        }
        let access = chdf5_file_access_plist()
        defer { H5Pclose(access) }
        let opened: hid_t = bytes.withUnsafeBytes { raw in
            guard H5Pset_fapl_core(access, 1 << 16, false) >= 0,
                  H5Pset_file_image(access, UnsafeMutableRawPointer(mutating: raw.baseAddress), raw.count) >= 0 else { return -1 }
            return H5Fopen(name, chdf5_read_only(), access)
        }
        guard opened >= 0 else { throw HDF5Error(file: name, message: "libhdf5 cannot open it (truncated or damaged)") }
        file = opened
    }

    deinit { H5Fclose(file) }

    /// Whether every component of `path` (`a/b/c`) exists as a link.
    func exists(_ path: String) -> Bool {
        var prefix = ""
        for part in path.split(separator: "/") {
            prefix += (prefix.isEmpty ? "" : "/") + part
            guard H5Lexists(file, prefix, chdf5_default()) > 0 else { return false }
        }
        return true
    }

    /// Names of the links in the group at `path`, in name order (for messages).
    func children(_ path: String) -> [String] {
        guard exists(path) || path.isEmpty else { return [] }
        let group = H5Gopen2(file, path.isEmpty ? "/" : path, chdf5_default())
        guard group >= 0 else { return [] }
        defer { H5Gclose(group) }
        var info = H5G_info_t()
        guard H5Gget_info(group, &info) >= 0 else { return [] }
        return (0..<info.nlinks).compactMap { i in
            let length = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, nil, 0, chdf5_default())
            guard length >= 0 else { return nil }
            var buffer = [CChar](repeating: 0, count: Int(length) + 1)
            _ = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, &buffer, buffer.count, chdf5_default())
            return String(cString: buffer)
        }
    }

    /// A floating-point dataset's shape and values as float32 (libhdf5 converts other float widths).
    func floats(_ path: String) throws -> (shape: [Int], values: [Float]) {
        guard exists(path) else { throw HDF5Error(file: name, message: "no dataset \(path)") }
        let dataset = H5Dopen2(file, path, chdf5_default())
        guard dataset >= 0 else { throw HDF5Error(file: name, message: "\(path) is not a dataset") }
        defer { H5Dclose(dataset) }
        let type = H5Dget_type(dataset)
        defer { H5Tclose(type) }
        guard H5Tget_class(type) == H5T_FLOAT else { throw HDF5Error(file: name, message: "\(path) does not hold floating-point numbers") }
        let shape = try self.shape(of: dataset, path: path)
        var values = [Float](repeating: 0, count: shape.reduce(1, *))
        let status = values.withUnsafeMutableBytes { H5Dread(dataset, chdf5_native_float(), 0, 0, chdf5_default(), $0.baseAddress) }
        guard status >= 0 else { throw HDF5Error(file: name, message: "cannot read \(path) (the data is truncated or damaged)") }
        return (shape, values)
    }

    private func shape(of dataset: hid_t, path: String) throws -> [Int] {
        let space = H5Dget_space(dataset)
        defer { H5Sclose(space) }
        let rank = H5Sget_simple_extent_ndims(space)
        guard rank >= 0 else { throw HDF5Error(file: name, message: "\(path): unreadable dataspace") }
        var dims = [hsize_t](repeating: 0, count: Int(rank))
        guard H5Sget_simple_extent_dims(space, &dims, nil) == rank else {
            throw HDF5Error(file: name, message: "\(path): unreadable dataspace")
        }
        return dims.map { Int($0) }
    }
}

/// A problem reading an HDF5 file, naming the file and what is wrong.
struct HDF5Error: Error, CustomStringConvertible {
    let file: String
    let message: String
    var description: String { "\(file): \(message)" }
}
