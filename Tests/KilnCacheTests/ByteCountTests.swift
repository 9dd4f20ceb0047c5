import Testing

@testable import KilnCache

struct ByteCountTests {
    static let sizes: [(String, Int64)] = [
        ("1234", 1234), ("0", 0), ("64K", 65536), ("64k", 65536), ("500M", 500 << 20), ("500MB", 500 << 20),
        ("500MiB", 500 << 20), ("2G", 2 << 30), ("1.5G", 3 << 29), (" 10M ", 10 << 20), ("1T", 1 << 40),
    ]

    @Test(arguments: sizes)
    func parses(_ text: String, _ bytes: Int64) throws {
        #expect(try ByteCount.parse(text) == bytes)
    }

    @Test(arguments: ["", "M", "-5M", "5X", "five", "1e3", "5 M", "9999999999G", "0x10"])
    func rejects(_ text: String) {
        #expect(throws: CacheError.badSize(text)) { try ByteCount.parse(text) }
    }

    static let formatted: [(Int64, String)] = [
        (0, "0"), (1023, "1023"), (1024, "1.0K"), (1536, "1.5K"), (10 << 20, "10M"), (500 << 20, "500M"),
        ((1 << 30) + (1 << 29), "1.5G"), ((10 << 20) - 1, "10M"),
    ]

    @Test(arguments: formatted)
    func formats(_ bytes: Int64, _ text: String) {
        #expect(ByteCount.format(bytes) == text)
    }
}
