import Foundation
import XCTest

/// The binary on an x86-64 CPU without AVX2 and FMA (qemu's Nehalem): a message naming what is
/// missing and exit status 78, never "Illegal instruction" (132). Skipped without `qemu-x86_64`
/// (Debian's qemu-user; scripts/check-old-cpu, run by .ci/run, installs it).
final class OldCPUTests: XCTestCase {
    func testRefusesAnOldCPUWithAMessageInsteadOfSIGILL() throws {
        #if !arch(x86_64)
        throw XCTSkip("not x86-64")
        #else
        let qemu = ["/usr/bin/qemu-x86_64", "/usr/local/bin/qemu-x86_64"].first { FileManager.default.isExecutableFile(atPath: $0) }
        if ProcessInfo.processInfo.environment["AEDETECT_PORTABLE"] != nil {
            throw XCTSkip("a portable build (AEDETECT_PORTABLE) has no CPU requirement to check")
        }
        guard let qemu else { throw XCTSkip("qemu-x86_64 is not installed (apt-get install qemu-user)") }
        for arguments in [["--version"], ["score", "--model", "m.safetensors", CLI.fixture("digits"), "--out", "/nonexistent/run"]] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: qemu)
            p.arguments = ["-cpu", "Nehalem", CLI.binary.path] + arguments
            let err = Pipe()
            p.standardError = err
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationReason, .exit, "killed by a signal: \(message)")
            XCTAssertEqual(p.terminationStatus, 78, message)
            XCTAssertTrue(message.contains("needs an x86-64 CPU with AVX2 and FMA"), message)
            XCTAssertTrue(message.contains("lacks avx2"), message)
            XCTAssertTrue(message.contains("AEDETECT_PORTABLE=1"), message)
        }
        #endif
    }
}
