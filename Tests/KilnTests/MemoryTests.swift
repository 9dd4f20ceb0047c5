import Kiln
import Testing

/// The host's view of a memory: checked reads and writes of bytes and little-endian values, growth, and the
/// raw bytes for speed.
@Suite struct MemoryTests {
    func instance() throws -> Instance {
        let module = try Module(engine: Shared.engine, wat: """
            (module (memory (export "memory") 1 3)
              (func (export "load") (param i32) (result i64) (i64.load (local.get 0)))
              (func (export "store") (param i32 f64) (f64.store (local.get 0) (local.get 1)))
              (func (export "size") (result i32) (memory.size)))
            """)
        return try Linker().instantiate(module, in: Store())
    }

    @Test func readsAndWritesAreLittleEndianAndSeenByTheGuest() throws {
        let instance = try instance()
        let memory = try #require(instance.memory())
        #expect(memory.byteCount == 65536 && memory.pages == 1 && memory.maximumPages == 3 && !memory.isShared)
        try memory.write(UInt64(0x0102_0304_0506_0708), at: 8)
        #expect(try memory.read(at: 8, count: 8) == [8, 7, 6, 5, 4, 3, 2, 1])
        #expect(try instance.call("load", [.i32(8)]) == [.i64(0x0102_0304_0506_0708)])
        _ = try instance.call("store", [.i32(100), .f64(-2.5)])
        #expect(try memory.read(Double.self, at: 100) == -2.5)
        try memory.write(Array("hello".utf8), at: 200)
        #expect(try memory.readString(at: 200, count: 5) == "hello")
        try memory.write(Float(1.5), at: 300)
        #expect(try memory.read(UInt32.self, at: 300) == Float(1.5).bitPattern)
        #expect(try memory.read(Int16.self, at: 65534) == 0)
    }

    @Test func accessesPastTheEndAreErrorsNotCrashes() throws {
        let memory = try #require(try instance().memory())
        #expect(throws: MemoryAccessError(offset: 65533, count: 4, size: 65536)) { try memory.read(UInt32.self, at: 65533) }
        #expect(throws: MemoryAccessError.self) { try memory.write([1, 2], at: 65535) }
        #expect(throws: MemoryAccessError.self) { try memory.read(at: UInt64.max, count: 2) }
        #expect(throws: MemoryAccessError.self) { try memory.read(at: 1, count: 65536) }
    }

    @Test func growingIsSeenByTheGuestAndStopsAtTheMaximum() throws {
        let instance = try instance()
        let memory = try #require(instance.memory())
        #expect(memory.grow(by: 1) == 1)
        #expect(try instance.call("size") == [.i32(2)])
        try memory.write(UInt8(9), at: 2 * 65536 - 1)
        #expect(memory.grow(by: 2) == nil)
        #expect(memory.grow(by: 1) == 2)
        #expect(try memory.read(UInt8.self, at: 2 * 65536 - 1) == 9)
        #expect(memory.pages == 3)
    }

    @Test func theRawViewCoversTheWholeMemory() throws {
        let instance = try instance()
        let memory = try #require(instance.memory())
        memory.withUnsafeMutableBytes { bytes in
            #expect(bytes.count == 65536)
            bytes.storeBytes(of: UInt64(77).littleEndian, toByteOffset: 16, as: UInt64.self)
        }
        #expect(try instance.call("load", [.i32(16)]) == [.i64(77)])
    }
}
