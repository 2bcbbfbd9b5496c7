import XCTest
@testable import DataIO

final class IDXTests: XCTestCase {
    private func roundTrip(_ array: IDXArray, gzip: Bool) throws -> IDXArray {
        let path = try TestFiles.temporaryFolder() + "/a.idx"
        try IDX.write(array, to: path, gzip: gzip)
        let onDisk = try ByteBuffer.read(path: path)
        XCTAssertEqual(Gzip.isGzip(onDisk.bytes), gzip, "gzip is detected from the content")
        return try IDX.read(path: path)
    }

    func testEveryTypeRoundTripsRawAndGzipped() throws {
        let cases: [(IDXElementType, [Double])] = [
            (.uint8, [0, 1, 128, 255, 7, 9]), (.int8, [-128, -1, 0, 1, 127, 5]),
            (.int16, [-32768, -300, 0, 300, 32767, 2]), (.int32, [-2147483648, -70000, 0, 70000, 2147483647, 3]),
            (.float32, [-1.5, 0, 0.25, 1048576.5, 0.5, 0.125]), (.float64, [-1e300, 0, 0.1, 1e-300, 2.5, .pi]),
        ]
        for (type, values) in cases {
            for gzip in [false, true] {
                let back = try roundTrip(IDXArray(type: type, shape: [1, 2, 3], values: values), gzip: gzip)
                XCTAssertEqual(back.type, type)
                XCTAssertEqual(back.shape, [1, 2, 3])
                XCTAssertEqual(back.values, values, "\(type) gzip \(gzip)")
            }
        }
    }

    func testBytesOnDiskAreBigEndianWithTheMagic() throws {
        let path = try TestFiles.temporaryFolder() + "/a.idx"
        try IDX.write(IDXArray(type: .int16, shape: [2], values: [258, -2]), to: path, gzip: false)
        XCTAssertEqual(try ByteBuffer.read(path: path).array, [0, 0, 0x0B, 1, 0, 0, 0, 2, 0x01, 0x02, 0xFF, 0xFE])
    }

    func testAnyNumberOfDimensions() throws {
        let shape = [2, 1, 3, 1, 2]
        let values = (0..<12).map(Double.init)
        let back = try roundTrip(IDXArray(type: .uint8, shape: shape, values: values), gzip: true)
        XCTAssertEqual(back.shape, shape)
        XCTAssertEqual(back.values, values)
    }

    func testIntegerTypesMapTheirRangeOntoTheUnitInterval() {
        XCTAssertEqual(IDXArray(uint8: [0, 51, 255], shape: [3]).unitFloats(), [0, 0.2, 1])
        XCTAssertEqual(IDXArray(type: .int8, shape: [2], values: [-128, 127]).unitFloats(), [0, 1])
        XCTAssertEqual(IDXArray(type: .float32, shape: [2], values: [0.25, 0.75]).unitFloats(), [0.25, 0.75])
    }

    private func parse(_ bytes: [UInt8], limit: Int = IDX.defaultSizeLimit) throws -> IDXArray {
        try IDX.parse(ByteBuffer(bytes: bytes), file: "x.idx", limit: limit)
    }

    private func assertError(_ bytes: [UInt8], limit: Int = IDX.defaultSizeLimit, _ check: (DataIOError) -> Bool,
                             line: UInt = #line) {
        XCTAssertThrowsError(try parse(bytes, limit: limit), line: line) { error in
            guard let e = error as? DataIOError else { return XCTFail("not a DataIOError: \(error)", line: line) }
            XCTAssertTrue(check(e), "unexpected error: \(e)", line: line)
            XCTAssertTrue(e.description.hasPrefix("x.idx: "), "names the file: \(e)", line: line)
        }
    }

    func testEachMalformationHasItsOwnError() throws {
        let good: [UInt8] = [0, 0, 8, 1, 0, 0, 0, 2, 7, 9]
        XCTAssertEqual(try parse(good).values, [7, 9])
        assertError([]) { if case .emptyFile = $0 { return true }; return false }
        assertError([0, 0, 8]) { if case .idxHeaderTooShort = $0 { return true }; return false }
        assertError([0, 0, 8, 2, 0, 0, 0, 2]) { if case .idxHeaderTooShort = $0 { return true }; return false }
        assertError([1, 0, 8, 1, 0, 0, 0, 2, 7, 9]) { if case .idxWrongMagic = $0 { return true }; return false }
        assertError([0, 0, 7, 1, 0, 0, 0, 2, 7, 9]) { if case .idxUnknownType(_, 7) = $0 { return true }; return false }
        assertError([0, 0, 8, 0]) { if case .idxNoDimensions = $0 { return true }; return false }
        assertError([0, 0, 0x0E, 3] + [UInt8](repeating: 0xFF, count: 12)) { if case .idxDimensionsOverflow = $0 { return true }; return false }
        assertError(good, limit: 1) { if case .idxTooLarge(_, 2, 1) = $0 { return true }; return false }
        assertError(Array(good.dropLast())) { if case .idxTruncated(_, 2, 1) = $0 { return true }; return false }
        assertError(good + [0]) { if case .idxTrailingBytes(_, 2, 3) = $0 { return true }; return false }
    }

    func testGzipErrorsAndMembers() throws {
        let good: [UInt8] = [0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 3]
        let gz = try good.withUnsafeBytes { try Gzip.compress($0).array }
        XCTAssertEqual(try parse(gz).values, [1, 2, 3])
        assertError(Array(gz.prefix(gz.count - 6))) { if case .gzipTruncated = $0 { return true }; return false }
        var corrupt = gz
        corrupt[gz.count - 5] ^= 0xFF  // the CRC-32 in the gzip trailer
        assertError(corrupt) { if case .gzipCorrupt = $0 { return true }; return false }
        assertError(gz + [1, 2, 3]) { if case .gzipTrailingData(_, 3) = $0 { return true }; return false }
        // Two concatenated members decode as one stream (as gzip(1) does).
        let half1 = try Array(good.prefix(6)).withUnsafeBytes { try Gzip.compress($0).array }
        let half2 = try Array(good.dropFirst(6)).withUnsafeBytes { try Gzip.compress($0).array }
        XCTAssertEqual(try parse(half1 + half2).values, [1, 2, 3])
    }

    func testGzipBombStopsAtTheLimit() throws {
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        let gz = try zeros.withUnsafeBytes { try Gzip.compress($0) }
        XCTAssertThrowsError(try Gzip.decompress(gz.bytes, file: "bomb.gz", limit: 1000)) { error in
            guard case .decompressedTooLarge(_, 1000)? = error as? DataIOError else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try Gzip.decompress(gz.bytes, file: "ok.gz", limit: 1 << 20).count, 1 << 20)
    }

    func testLabelsPairWithImages() throws {
        let folder = try TestFiles.temporaryFolder()
        try IDX.write(IDXArray(uint8: [UInt8](repeating: 255, count: 2 * 2 * 3), shape: [3, 2, 2]), to: folder + "/i.gz", gzip: true)
        try IDX.write(IDXArray(uint8: [4, 0, 9], shape: [3]), to: folder + "/l.gz", gzip: true)
        try IDX.write(IDXArray(uint8: [4, 0], shape: [2]), to: folder + "/short.gz", gzip: true)
        let data = try Dataset.loadIDX(images: folder + "/i.gz", labels: folder + "/l.gz")
        XCTAssertEqual(data.shape, [3, 2, 2, 1])
        XCTAssertEqual(data.labels, [4, 0, 9])
        XCTAssertEqual(data.images, [Float](repeating: 1, count: 12))
        XCTAssertThrowsError(try Dataset.loadIDX(images: folder + "/i.gz", labels: folder + "/short.gz")) { error in
            guard case .labelCountMismatch(_, 3, _, 2)? = error as? DataIOError else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try Dataset.loadIDX(images: folder + "/l.gz")) { error in
            guard case .idxNotImages? = error as? DataIOError else { return XCTFail("\(error)") }
        }
    }

    func testBrokenIDXFixturesEachGiveTheirOwnError() {
        let dir = TestFiles.fixtures + "/broken/"
        let expectations: [(String, (DataIOError) -> Bool)] = [
            ("truncated-gzip-idx3-ubyte.gz", { if case .gzipTruncated = $0 { return true }; return false }),
            ("wrong-magic-idx3-ubyte", { if case .idxWrongMagic = $0 { return true }; return false }),
            ("overflow-dims-idx3-ubyte", { if case .idxDimensionsOverflow = $0 { return true }; return false }),
            ("short-idx3-ubyte", { if case .idxTruncated(_, 1568, 1000) = $0 { return true }; return false }),
            ("trailing-bytes-idx3-ubyte", { if case .idxTrailingBytes(_, 784, 794) = $0 { return true }; return false }),
        ]
        for (name, check) in expectations {
            XCTAssertThrowsError(try IDX.read(path: dir + name), name) { error in
                guard let e = error as? DataIOError else { return XCTFail("\(name): \(error)") }
                XCTAssertTrue(check(e), "\(name): \(e)")
                XCTAssertTrue(e.description.contains(name), "names the file: \(e)")
            }
        }
    }

    func testFixtureSubsetLoads() throws {
        let dir = TestFiles.fixtures + "/mnist/"
        let train = try Dataset.loadIDX(images: dir + "train-images-idx3-ubyte.gz", labels: dir + "train-labels-idx1-ubyte.gz")
        XCTAssertEqual(train.shape, [2500, 28, 28, 1])
        XCTAssertEqual((0..<10).map { d in train.labels!.filter { $0 == d }.count }, [Int](repeating: 250, count: 10))
    }
}
