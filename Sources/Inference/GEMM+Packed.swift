import Dispatch

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

/// Allocates uninitialised memory for `count` elements on a 64-byte boundary. Packed panels are
/// read in 64-byte vectors; malloc alone aligns to 16 bytes, and a vector that straddles two
/// cache lines costs two loads (the speed then depended on where malloc happened to put a buffer).
/// Release it with `UnsafeMutableRawPointer(pointer).deallocate()`.
func allocateCacheAligned<Element>(_ type: Element.Type, count: Int) -> UnsafeMutablePointer<Element> {
    UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<Element>.stride, alignment: 64)
        .bindMemory(to: Element.self, capacity: count)
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
        let packedB = allocateCacheAligned(Element.self, count: kc * nc)
        defer { UnsafeMutableRawPointer(packedB).deallocate() }
        let packedA = allocateCacheAligned(Element.self, count: workers * mc * kc)
        defer { UnsafeMutableRawPointer(packedA).deallocate() }
        let scratch = UnsafeMutablePointer<Accumulator>.allocate(capacity: workers * mr * nr)
        defer { scratch.deallocate() }

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
        return c
    }

    /// One depth block's row blocks, dealt round-robin to the workers. Workers write disjoint rows
    /// of C and their own slices of the A and scratch buffers, which is why sharing the pointers is safe.
    struct RowBlockTask: @unchecked Sendable {
        let aBase: UnsafePointer<Source>
        let layoutA: MatrixLayout
        let m: Int, n: Int, k: Int, pc: Int, jc: Int, blockDepth: Int, blockColumns: Int
        let rowBlockCount: Int, workers: Int
        let packedA: UnsafeMutablePointer<Element>
        let packedB: UnsafeMutablePointer<Element>
        let c: UnsafeMutablePointer<Accumulator>
        let scratch: UnsafeMutablePointer<Accumulator>

        func run(worker: Int) {
            let mc = Kernel.blockRows, kc = Kernel.blockDepth
            let myA = packedA + worker * mc * kc
            let myScratch = scratch + worker * Kernel.tileRows * Kernel.tileColumns
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
