import CKilnHost

/// A linear memory, as the host sees it: reads and writes of bytes and of little-endian values, checked
/// against the memory's current size (`MemoryAccessError` past the end), growth, and for speed a raw view
/// through `withUnsafeMutableBytes`. It keeps its store alive.
///
/// The memory's bytes move when it grows (unless it is shared), so no pointer into them outlives one
/// `withUnsafeMutableBytes` call. Another thread's guest may access a shared memory at the same time:
/// ordinary reads and writes here are then no more ordered than the guest's plain accesses.
public struct Memory: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<kiln_memory>
    let store: Store

    init(_ pointer: UnsafeMutablePointer<kiln_memory>, store: Store) {
        self.pointer = pointer
        self.store = store
    }

    /// The size in bytes.
    public var byteCount: UInt64 { kiln_memory_bulk_size(pointer) }
    /// The size in 64 KiB pages.
    public var pages: UInt64 { byteCount / 65536 }
    /// The declared maximum in pages, if any.
    public var maximumPages: UInt64? { pointer.pointee.has_max != 0 ? pointer.pointee.max_pages : nil }
    public var isShared: Bool { pointer.pointee.shared != 0 }
    public var is64: Bool { pointer.pointee.is64 != 0 }

    /// Grows the memory by `pages`, as memory.grow does (within its maximum and the store's limits): the old
    /// size in pages, or nil when it cannot grow.
    @discardableResult
    public func grow(by pages: UInt64) -> UInt64? {
        let old = kiln_memory_grow64(store.ctx, pointer, pages)
        return old == UInt64.max ? nil : old  // KILN_GROW_FAILED64
    }

    /// The `count` bytes at `offset`.
    public func read(at offset: UInt64, count: Int) throws(MemoryAccessError) -> [UInt8] {
        try withChecked(offset, UInt64(count)) { Array(UnsafeRawBufferPointer(start: $0, count: count)) }
    }

    /// Writes `bytes` at `offset`.
    public func write<Bytes: Collection>(_ bytes: Bytes, at offset: UInt64) throws(MemoryAccessError) where Bytes.Element == UInt8 {
        try withChecked(offset, UInt64(bytes.count)) { UnsafeMutableRawBufferPointer(start: $0, count: bytes.count).copyBytes(from: bytes) }
    }

    /// The little-endian integer at `offset`.
    public func read<T: FixedWidthInteger>(_ type: T.Type, at offset: UInt64) throws(MemoryAccessError) -> T {
        try withChecked(offset, UInt64(MemoryLayout<T>.size)) { T(littleEndian: $0.loadUnaligned(as: T.self)) }
    }

    /// Writes `value` little-endian at `offset`.
    public func write<T: FixedWidthInteger>(_ value: T, at offset: UInt64) throws(MemoryAccessError) {
        try withChecked(offset, UInt64(MemoryLayout<T>.size)) { $0.storeBytes(of: value.littleEndian, as: T.self) }
    }

    public func read(_ type: Float.Type, at offset: UInt64) throws(MemoryAccessError) -> Float {
        Float(bitPattern: try read(UInt32.self, at: offset))
    }

    public func read(_ type: Double.Type, at offset: UInt64) throws(MemoryAccessError) -> Double {
        Double(bitPattern: try read(UInt64.self, at: offset))
    }

    public func write(_ value: Float, at offset: UInt64) throws(MemoryAccessError) { try write(value.bitPattern, at: offset) }
    public func write(_ value: Double, at offset: UInt64) throws(MemoryAccessError) { try write(value.bitPattern, at: offset) }

    /// The NUL-terminated (or `count`-byte) UTF-8 string at `offset`; invalid UTF-8 is repaired.
    public func readString(at offset: UInt64, count: Int) throws(MemoryAccessError) -> String {
        String(decoding: try read(at: offset, count: count), as: UTF8.self)
    }

    /// The memory's bytes, for `body` only: the pointer is invalid once it returns (a later growth may move
    /// them). Nothing is checked; stay within the buffer.
    public func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeMutableRawBufferPointer(start: pointer.pointee.data, count: Int(byteCount)))
    }

    private func withChecked<R>(_ offset: UInt64, _ count: UInt64, _ body: (UnsafeMutableRawPointer) -> R) throws(MemoryAccessError) -> R {
        let size = byteCount
        guard offset <= size, count <= size - offset, let data = pointer.pointee.data else {
            throw MemoryAccessError(offset: offset, count: count, size: size)
        }
        return body(UnsafeMutableRawPointer(data) + Int(offset))
    }
}

/// A host's read or write past the end of a memory.
public struct MemoryAccessError: Error, Equatable, CustomStringConvertible {
    public let offset: UInt64
    public let count: UInt64
    public let size: UInt64
    public init(offset: UInt64, count: UInt64, size: UInt64) {
        self.offset = offset
        self.count = count
        self.size = size
    }
    public var description: String { "out of bounds memory access: \(count) bytes at \(offset) of a memory of \(size) bytes" }
}

extension Store {
    /// A view of a memory the store made (`makeMemory`) or an instance exported.
    public func memory(_ value: ExternalValue) -> Memory? {
        guard case .memory(let pointer) = value else { return nil }
        return Memory(pointer, store: self)
    }
}
