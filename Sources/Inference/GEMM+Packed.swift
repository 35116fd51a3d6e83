import Dispatch
import Synchronization

// The packed GEMM, after the GotoBLAS/BLIS design (Goto & van de Geijn, "Anatomy of
// High-Performance Matrix Multiplication", 2008; Van Zee & van de Geijn, "BLIS", 2015):
//
//   for jc in columns by NC:            B block  KC × NC  packed once per (jc, pc), shared
//     for pc in depth by KC:
//       pack B[pc.., jc..] into NR-wide panels, zero-padded
//       for ic in rows by MC:           A block  MC × KC  packed per thread, stays in L2
//         pack A[ic.., pc..] into MR-tall panels, zero-padded
//         for each NR panel × MR panel:  micro-kernel: an MR × NR tile of C in registers, one
//                                        rank-1 update per p; a B micro-panel (KC × NR) stays in L1
//
// Packing absorbs the operand layouts, so the micro-kernel only ever streams two contiguous
// panels. Edge tiles run the same kernel on a scratch tile and copy the valid part out.
//
// Determinism: the micro-kernel continues each C element's sum from the previous depth block (it
// loads C instead of starting a separate partial sum), so every float element is summed in the
// naive order p = 0, 1, … . Threads take whole MC row blocks, so a thread count changes who computes
// a row, never how.

/// The packing buffers' memory, reused from one product to the next.
///
/// Packed panels are read in 64-byte vectors, so the memory is 64-byte aligned (malloc alone
/// gives 16, and a vector straddling two cache lines costs two loads: the speed then depended on
/// where malloc put a buffer). It is also kept between calls: freshly allocated blocks of a few
/// hundred KiB come from mmap or a trimmed heap, and faulting their pages in again on every call
/// cost up to half the time of a 256² int8 product. One buffer (up to 16 MiB) is cached; a
/// caller that finds it taken by another thread allocates its own.
enum PackingWorkspace {
    struct Buffer: @unchecked Sendable {
        var pointer: UnsafeMutableRawPointer
        var byteCount: Int
    }

    private static let cache = Mutex<Buffer?>(nil)
    static let maximumCachedBytes = 16 << 20

    /// Rounds a byte count up to a whole number of 64-byte lines, for laying out several regions.
    @inline(__always)
    static func lines(_ byteCount: Int) -> Int { (byteCount + 63) & ~63 }

    /// Runs `body` with at least `byteCount` bytes of 64-byte-aligned, uninitialised memory.
    static func withMemory<Result>(byteCount: Int, _ body: (UnsafeMutableRawPointer) -> Result) -> Result {
        let needed = max(lines(byteCount), 64)
        var buffer = cache.withLock { cached -> Buffer? in
            let taken = cached
            cached = nil
            return taken
        }
        if let small = buffer, small.byteCount < needed {
            small.pointer.deallocate()
            buffer = nil
        }
        let memory = buffer ?? Buffer(pointer: .allocate(byteCount: needed, alignment: 64), byteCount: needed)
        let result = body(memory.pointer)
        if memory.byteCount <= maximumCachedBytes {
            let displaced = cache.withLock { cached -> Buffer? in
                let previous = cached
                cached = memory
                return previous
            }
            displaced?.pointer.deallocate()
        } else {
            memory.pointer.deallocate()
        }
        return result
    }
}

/// A register-blocked MR × NR kernel over packed panels.
protocol MicroKernel {
    /// The operands' element type in the caller's arrays.
    associatedtype Source
    /// The element type of the packed panels.
    associatedtype Element: Numeric
    associatedtype Accumulator: Numeric
    /// Converts a source element while packing.
    static func pack(_ value: Source) -> Element
    /// MR: rows of the C tile held in registers.
    static var tileRows: Int { get }
    /// NR: columns of the C tile held in registers.
    static var tileColumns: Int { get }
    /// KC: depth of one packed block.
    static var blockDepth: Int { get }
    /// MC: rows of one packed A block (a multiple of MR).
    static var blockRows: Int { get }
    /// NC: columns of one packed B block (a multiple of NR).
    static var blockColumns: Int { get }

    /// C[0..<MR][0..<NR] (+)= Apanel · Bpanel over `depth` steps.
    /// - Parameters:
    ///   - a: MR values per step, `depth` steps.
    ///   - b: NR values per step, `depth` steps.
    ///   - c: the tile's first element; rows are `rowStride` apart.
    ///   - accumulate: add to the tile's current values instead of overwriting them.
    static func run(depth: Int, a: UnsafePointer<Element>, b: UnsafePointer<Element>,
                    c: UnsafeMutablePointer<Accumulator>, rowStride: Int, accumulate: Bool)
}

enum PackedGEMM<Kernel: MicroKernel> {
    typealias Source = Kernel.Source
    typealias Element = Kernel.Element
    typealias Accumulator = Kernel.Accumulator

    static func multiply(_ a: [Source], _ layoutA: MatrixLayout, _ b: [Source], _ layoutB: MatrixLayout,
                         _ shape: GEMMShape, threadCount: Int) -> [Accumulator] {
        let (m, n, k) = (shape.rows, shape.columns, shape.depth)
        var c = [Accumulator](repeating: .zero, count: m * n)
        guard m > 0, n > 0, k > 0 else { return c }
        let mr = Kernel.tileRows, nr = Kernel.tileColumns
        let kc = Kernel.blockDepth, mc = Kernel.blockRows, nc = Kernel.blockColumns
        let rowBlockCount = (m + mc - 1) / mc
        let workers = max(1, min(threadCount, rowBlockCount))
        // One workspace: packed B (KC × NC, cut to the product's size), then each worker's packed A
        // block (MC × KC) and scratch tile.
        let bBytes = PackingWorkspace.lines(min(kc, k) * min(nc, (n + nr - 1) / nr * nr) * MemoryLayout<Element>.stride)
        let aBytes = PackingWorkspace.lines(min(mc, (m + mr - 1) / mr * mr) * min(kc, k) * MemoryLayout<Element>.stride)
        let scratchBytes = PackingWorkspace.lines(mr * nr * MemoryLayout<Accumulator>.stride)
        return PackingWorkspace.withMemory(byteCount: bBytes + workers * (aBytes + scratchBytes)) { memory in
            let packedB = memory.bindMemory(to: Element.self, capacity: bBytes / MemoryLayout<Element>.stride)
            let packedA = (memory + bBytes).bindMemory(to: Element.self, capacity: workers * aBytes / MemoryLayout<Element>.stride)
            let scratch = (memory + bBytes + workers * aBytes)
                .bindMemory(to: Accumulator.self, capacity: workers * scratchBytes / MemoryLayout<Accumulator>.stride)
            multiply(a, layoutA, b, layoutB, shape, workers: workers, c: &c, packedA: packedA,
                     aBlockStride: aBytes / MemoryLayout<Element>.stride, packedB: packedB, scratch: scratch,
                     scratchStride: scratchBytes / MemoryLayout<Accumulator>.stride)
            return c
        }
    }

    private static func multiply(_ a: [Source], _ layoutA: MatrixLayout, _ b: [Source], _ layoutB: MatrixLayout,
                                 _ shape: GEMMShape, workers: Int, c: inout [Accumulator],
                                 packedA: UnsafeMutablePointer<Element>, aBlockStride: Int,
                                 packedB: UnsafeMutablePointer<Element>,
                                 scratch: UnsafeMutablePointer<Accumulator>, scratchStride: Int) {
        let (m, n, k) = (shape.rows, shape.columns, shape.depth)
        let kc = Kernel.blockDepth, mc = Kernel.blockRows, nc = Kernel.blockColumns
        let rowBlockCount = (m + mc - 1) / mc

        a.withUnsafeBufferPointer { aBuffer in
            b.withUnsafeBufferPointer { bBuffer in
                c.withUnsafeMutableBufferPointer { cBuffer in
                    let aBase = aBuffer.baseAddress!, bBase = bBuffer.baseAddress!, cBase = cBuffer.baseAddress!
                    for jc in stride(from: 0, to: n, by: nc) {
                        let blockColumns = min(nc, n - jc)
                        for pc in stride(from: 0, to: k, by: kc) {
                            let blockDepth = min(kc, k - pc)
                            packB(bBase, layoutB, k: k, n: n, rows: pc, depth: blockDepth,
                                  columns: jc, count: blockColumns, into: packedB)
                            let task = RowBlockTask(aBase: aBase, layoutA: layoutA, m: m, n: n, k: k,
                                                    pc: pc, jc: jc, blockDepth: blockDepth, blockColumns: blockColumns,
                                                    rowBlockCount: rowBlockCount, workers: workers,
                                                    aBlockStride: aBlockStride, scratchStride: scratchStride,
                                                    packedA: packedA, packedB: packedB, c: cBase, scratch: scratch)
                            if workers == 1 {
                                task.run(worker: 0)
                            } else {
                                DispatchQueue.concurrentPerform(iterations: workers) { task.run(worker: $0) }
                            }
                        }
                    }
                }
            }
        }
    }

    /// One depth block's row blocks, dealt round-robin to the workers. Workers write disjoint rows
    /// of C and their own slices of the A and scratch buffers, which is why sharing the pointers is safe.
    struct RowBlockTask: @unchecked Sendable {
        let aBase: UnsafePointer<Source>
        let layoutA: MatrixLayout
        let m: Int, n: Int, k: Int, pc: Int, jc: Int, blockDepth: Int, blockColumns: Int
        let rowBlockCount: Int, workers: Int, aBlockStride: Int, scratchStride: Int
        let packedA: UnsafeMutablePointer<Element>
        let packedB: UnsafeMutablePointer<Element>
        let c: UnsafeMutablePointer<Accumulator>
        let scratch: UnsafeMutablePointer<Accumulator>

        func run(worker: Int) {
            let mc = Kernel.blockRows, kc = Kernel.blockDepth
            let myA = packedA + worker * aBlockStride
            let myScratch = scratch + worker * scratchStride
            var block = worker
            while block < rowBlockCount {
                let ic = block * mc
                let blockRows = min(mc, m - ic)
                packA(aBase, layoutA, m: m, k: k, rows: ic, count: blockRows, depth: pc, length: blockDepth, into: myA)
                macroKernel(packedA: myA, packedB: packedB, rows: blockRows, columns: blockColumns, depth: blockDepth,
                            c: c + ic * n + jc, rowStride: n, accumulate: pc > 0, scratch: myScratch)
                block += workers
            }
        }
    }

    /// Runs the micro-kernel over every MR × NR tile of one packed A block and one packed B block.
    @inline(__always)
    static func macroKernel(packedA: UnsafePointer<Element>, packedB: UnsafePointer<Element>,
                            rows: Int, columns: Int, depth: Int,
                            c: UnsafeMutablePointer<Accumulator>, rowStride: Int, accumulate: Bool,
                            scratch: UnsafeMutablePointer<Accumulator>) {
        let mr = Kernel.tileRows, nr = Kernel.tileColumns
        for jr in stride(from: 0, to: columns, by: nr) {
            let tileColumns = min(nr, columns - jr)
            let bPanel = packedB + jr * depth
            for ir in stride(from: 0, to: rows, by: mr) {
                let tileRows = min(mr, rows - ir)
                let aPanel = packedA + ir * depth
                let tile = c + ir * rowStride + jr
                if tileRows == mr && tileColumns == nr {
                    Kernel.run(depth: depth, a: aPanel, b: bPanel, c: tile, rowStride: rowStride, accumulate: accumulate)
                } else {
                    // Edge tile: compute a full tile in scratch, starting from C's values when continuing.
                    if accumulate {
                        for r in 0..<tileRows {
                            for column in 0..<tileColumns { scratch[r * nr + column] = tile[r * rowStride + column] }
                        }
                    }
                    Kernel.run(depth: depth, a: aPanel, b: bPanel, c: scratch, rowStride: nr, accumulate: accumulate)
                    for r in 0..<tileRows {
                        for column in 0..<tileColumns { tile[r * rowStride + column] = scratch[r * nr + column] }
                    }
                }
            }
        }
    }

    /// Packs A[rows..<rows+count][depth..<depth+length] into MR-tall panels: panel p, step s, row r
    /// at `(p · length + s) · MR + r`; rows past `count` are zero.
    @inline(__always)
    static func packA(_ a: UnsafePointer<Source>, _ layout: MatrixLayout, m: Int, k: Int, rows: Int, count: Int,
                      depth: Int, length: Int, into packed: UnsafeMutablePointer<Element>) {
        let mr = Kernel.tileRows
        var destination = packed
        for panel in stride(from: 0, to: count, by: mr) {
            let valid = min(mr, count - panel)
            for step in 0..<length {
                let p = depth + step
                for r in 0..<mr {
                    let i = rows + panel + r
                    destination[r] = r < valid ? Kernel.pack(layout == .rowMajor ? a[i * k + p] : a[p * m + i]) : .zero
                }
                destination += mr
            }
        }
    }

    /// Packs B[depth..<depth+length][columns..<columns+count] into NR-wide panels: panel q, step s,
    /// column c at `(q · length + s) · NR + c`; columns past `count` are zero.
    @inline(__always)
    static func packB(_ b: UnsafePointer<Source>, _ layout: MatrixLayout, k: Int, n: Int, rows depth: Int, depth length: Int,
                      columns: Int, count: Int, into packed: UnsafeMutablePointer<Element>) {
        let nr = Kernel.tileColumns
        var destination = packed
        for panel in stride(from: 0, to: count, by: nr) {
            let valid = min(nr, count - panel)
            for step in 0..<length {
                let p = depth + step
                if layout == .rowMajor && valid == nr {
                    let row = b + p * n + columns + panel
                    for column in 0..<nr { destination[column] = Kernel.pack(row[column]) }
                } else {
                    for column in 0..<nr {
                        let j = columns + panel + column
                        destination[column] = column < valid ? Kernel.pack(layout == .rowMajor ? b[p * n + j] : b[j * k + p]) : .zero
                    }
                }
                destination += nr
            }
        }
    }
}
