import Foundation
import KubeClient
import Testing

/// Kubernetes' times, formatted and parsed by hand, agree with Foundation's ISO 8601 formatter.
@Suite struct TimestampTests {
    @Test func formatAgreesWithFoundation() {
        let formatter = ISO8601DateFormatter()
        var generator = SystemRandomNumberGenerator()
        // From 1901 on (Foundation switches to the Julian calendar before 1582; Kubernetes never goes there).
        let samples: [Double] = [0, -1, 951_782_400, 1_709_251_199, 4_102_444_800, -2_145_916_800]
            + (0..<500).map { _ in Double(Int.random(in: -2_145_916_800...6_000_000_000, using: &generator)) + 0.75 }
        for seconds in samples {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(Timestamps.format(date) == formatter.string(from: date), "\(seconds)")
            #expect(Timestamps.parse(Timestamps.format(date)) == Date(timeIntervalSince1970: seconds.rounded(.down)))
        }
    }

    @Test func parseTakesFractionsAndOffsets() {
        #expect(Timestamps.parse("2026-11-27T00:34:51Z") == Date(timeIntervalSince1970: 1_795_739_691))
        #expect(Timestamps.parse("2026-11-27T00:34:51.250000Z") == Date(timeIntervalSince1970: 1_795_739_691.25))
        #expect(Timestamps.parse("2026-11-27T01:34:51+01:00") == Date(timeIntervalSince1970: 1_795_739_691))
        #expect(Timestamps.parse("2026-11-26T23:04:51-01:30") == Date(timeIntervalSince1970: 1_795_739_691))
        for bad in ["", "2026-11-27", "2026-11-27T00:34:51", "2026-13-27T00:34:51Z", "2026-11-27T00:34:51Zx", "2026-11-27T00:34:51."] {
            #expect(Timestamps.parse(bad) == nil, "\(bad)")
        }
    }
}
