import XCTest
@testable import NeuralNet

final class ChannelTransposeTests: XCTestCase {
    /// Both directions against the plain index formula, for channel counts below, at and
    /// past one block of eight, pixel counts with and without a remainder, and a readable /
    /// writable range that ends at the last pixel (the scalar fallback) or leaves room.
    func testMatchesTheIndexFormula() {
        for channels in [1, 3, 8, 10, 17] {
            for pixels in [5, 8, 28, 33] {
                for slack in [0, 64] {
                    let stride = pixels + 3, x = randomTensor([pixels * channels + slack], seed: UInt64(channels))
                    let planes = Tensor(shape: [channels * stride])
                    ChannelTranspose.toPlanes(x.ptr, pixels: pixels, channels: channels, readable: pixels * channels + slack,
                                              into: planes.ptr, planeStride: stride)
                    for p in 0..<pixels { for c in 0..<channels {
                        XCTAssertEqual(planes[c * stride + p], x[p * channels + c], "\(channels) \(pixels) \(p) \(c)")
                    } }
                    let back = Tensor(shape: [pixels * channels + slack])
                    back.fill(7)
                    ChannelTranspose.fromPlanes(planes.ptr, planeStride: stride, pixels: pixels, channels: channels,
                                                writable: pixels * channels + slack, into: back.ptr)
                    XCTAssertEqual(Array(back.array[0..<(pixels * channels)]), Array(x.array[0..<(pixels * channels)]),
                                   "\(channels) \(pixels) \(slack)")
                }
            }
        }
    }
}
