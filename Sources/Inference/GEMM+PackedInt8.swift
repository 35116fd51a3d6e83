import Dispatch

// The packed int8 GEMM for pairwise int16 multiply-add kernels (CInt8Kernels' AVX2 `vpmaddwd`
// one and InferenceAVX512's `vpdpwssd` one): the GotoBLAS/BLIS loop nest of GEMM+Packed.swift, with the operands widened to
// int16 while packing so that the micro-kernel multiplies two depth steps per instruction.
//
//   for jc in columns by NC:
//     for pc in depth by KC:
//       pack B[pc.., jc..] into 16-column panels of depth pairs (below), zero-padded
//       for ic in rows by MC (threads take whole row blocks):
//         widen A[ic.., pc..] into an int16 row-major block, rows padded to MR, depth to even
//         for each 16-column panel × MR-row panel: micro-kernel on an MR × 16 tile of C
//
// Packed B, one panel: for depth pair g and column j, elements 32·g + 2·j and 32·g + 2·j + 1 hold
// B[2g][j] and B[2g + 1][j]. The A block is plain row-major int16 with an even row length, so the
// two values A[i][2g], A[i][2g + 1] are one 32-bit word: the kernel broadcasts that word to every
// lane and the pairwise multiply-add gives, in lane j, A[i][2g]·B[2g][j] + A[i][2g + 1]·B[2g + 1][j].
// Widening a row-major A block is a plain sign-extending copy (vectorised), not a shuffle.
//
// Exactness: int8 values fit int16; a pair sum is at most 2 · 128² = 2¹⁵ in magnitude, so the
// multiply-add never wraps (vpmaddwd/vpdpwssd can only when all four inputs are −32768). Everything
// after is wrapping int32 addition, which is associative and commutative, so any blocking, kernel
// and thread count gives the naive kernel's result bit for bit, with no depth-block limit.
//
// Why the AVX2 kernel is C with intrinsics (CInt8Kernels) rather than Swift SIMD: the same
// Swift code lowers to a clean `vpmaddwd` loop only while each widened operand has a single use.
// In a register-blocked tile every B vector and every A broadcast feed several products, and
// LLVM (Swift 6.3.1) then splits the intermediate products before forming `vpmaddwd`, adding
// vpmovsxwd/vpackssdw/vpermq around every multiply (48–57 GOPS, below the float32-exact kernel).
// Why not `vpmaddubsw` (u8 · s8 pairs, twice the multiplies per instruction): it saturates its
// int16 pair sum, and with the +128 offset a pair reaches 2 · 255 · 128 = 65,280 in magnitude, so
// it is not exact for all int8 inputs (A = 127 against B = −128 already saturates).

/// An MR × 16 int8 micro-kernel over a widened A block and a packed B panel.
protocol Int8TileKernel {
    /// MR: rows of the C tile held in registers.
    static var tileRows: Int { get }
    /// C[0..<MR][0..<16] (+)= A · B over `pairs` depth pairs.
    /// - Parameters:
    ///   - pairs: depth pairs (depth / 2, rounded up; the odd step is zero-padded).
    ///   - a: A's first row; rows are `aRowStride` int16 apart and hold `2 · pairs` values.
    ///   - aRowStride: the A block's row length in int16 elements (even).
    ///   - b: the packed B panel, 32 int16 per pair.
    ///   - c: the tile's first element; rows are `cRowStride` apart.
    ///   - cRowStride: C's row length in elements.
    ///   - accumulate: add to the tile's current values instead of overwriting them.
    static func run(pairs: Int, a: UnsafePointer<Int16>, aRowStride: Int, b: UnsafePointer<Int16>,
                    c: UnsafeMutablePointer<Int32>, cRowStride: Int, accumulate: Bool)
}

enum PackedInt8GEMM<Kernel: Int8TileKernel> {
    /// NR: columns of a C tile and of a packed B panel (one 512-bit or two 256-bit int32 vectors).
    static var tileColumns: Int { 16 }
    /// KC: depth of one block (even). Accumulation is exact int32 at any depth, so KC is chosen for
    /// the caches only: a B panel is 512 · 16 · 2 B = 16 KiB, an A panel (12 rows) 12 KiB. Fewer,
    /// longer blocks also mean fewer passes over C, which matters once C outgrows L2 (1024²).
    static var blockDepth: Int { 512 }

    /// MC: rows of one A block, a multiple of MR (12): 120 · 512 · 2 B = 120 KiB, in L2.
    static var blockRows: Int { 120 }
    /// NC: columns of one packed B block: 1024 · 512 · 2 B = 1 MiB, in L3.
    static var blockColumns: Int { 1024 }

    static func multiply(_ a: [Int8], _ layoutA: MatrixLayout, _ b: [Int8], _ layoutB: MatrixLayout,
                         _ shape: GEMMShape, threadCount: Int) -> [Int32] {
        let (m, n, k) = (shape.rows, shape.columns, shape.depth)
        guard m > 0, n > 0, k > 0 else { return [Int32](repeating: 0, count: m * n) }
        let mr = Kernel.tileRows, nr = tileColumns
        let kc = blockDepth, mc = blockRows, nc = blockColumns
        precondition(mc % mr == 0 && kc % 2 == 0, "block sizes must suit the kernel")
        let rowBlockCount = (m + mc - 1) / mc
        let workers = max(1, min(threadCount, rowBlockCount))
        // One workspace: packed B, then each worker's widened A block and scratch tile.
        let depthCapacity = min(kc, roundUp(k, 2))
        let bBytes = PackingWorkspace.lines(depthCapacity * min(nc, roundUp(n, nr)) * 2)
        let aBytes = PackingWorkspace.lines(min(mc, roundUp(m, mr)) * depthCapacity * 2)
        let scratchBytes = PackingWorkspace.lines(mr * nr * 4)
        return PackingWorkspace.withMemory(byteCount: bBytes + workers * (aBytes + scratchBytes)) { memory in
            let packedB = memory.bindMemory(to: Int16.self, capacity: bBytes / 2)
            let packedA = (memory + bBytes).bindMemory(to: Int16.self, capacity: workers * aBytes / 2)
            let scratch = (memory + bBytes + workers * aBytes).bindMemory(to: Int32.self, capacity: workers * scratchBytes / 4)
            scratch.initialize(repeating: 0, count: workers * scratchBytes / 4)
            return multiply(a, layoutA, b, layoutB, shape, workers: workers, packedA: packedA, aBlockStride: aBytes / 2,
                            packedB: packedB, scratch: scratch, scratchStride: scratchBytes / 4)
        }
    }

    private static func multiply(_ a: [Int8], _ layoutA: MatrixLayout, _ b: [Int8], _ layoutB: MatrixLayout,
                                 _ shape: GEMMShape, workers: Int, packedA: UnsafeMutablePointer<Int16>,
                                 aBlockStride: Int, packedB: UnsafeMutablePointer<Int16>,
                                 scratch: UnsafeMutablePointer<Int32>, scratchStride: Int) -> [Int32] {
        let (m, n, k) = (shape.rows, shape.columns, shape.depth)
        let kc = blockDepth, mc = blockRows, nc = blockColumns
        let rowBlockCount = (m + mc - 1) / mc
        return [Int32](unsafeUninitializedCapacity: m * n) { cBuffer, initializedCount in
            let cBase = cBuffer.baseAddress!
            a.withUnsafeBufferPointer { aBuffer in
                b.withUnsafeBufferPointer { bBuffer in
                    for jc in stride(from: 0, to: n, by: nc) {
                        let blockColumns = min(nc, n - jc)
                        for pc in stride(from: 0, to: k, by: kc) {
                            let blockDepth = min(kc, k - pc)
                            packB(bBuffer.baseAddress!, layoutB, k: k, n: n, depth: pc, length: blockDepth,
                                  columns: jc, count: blockColumns, into: packedB)
                            let task = RowBlockTask(aBase: aBuffer.baseAddress!, layoutA: layoutA, m: m, n: n, k: k,
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
            initializedCount = m * n
        }
    }

    @inline(__always)
    static func roundUp(_ value: Int, _ multiple: Int) -> Int { (value + multiple - 1) / multiple * multiple }

    /// One depth block's row blocks, dealt round-robin to the workers. Workers write disjoint rows
    /// of C and their own slices of the A and scratch buffers, which is why sharing the pointers is safe.
    struct RowBlockTask: @unchecked Sendable {
        let aBase: UnsafePointer<Int8>
        let layoutA: MatrixLayout
        let m: Int, n: Int, k: Int, pc: Int, jc: Int, blockDepth: Int, blockColumns: Int
        let rowBlockCount: Int, workers: Int, aBlockStride: Int, scratchStride: Int
        let packedA: UnsafeMutablePointer<Int16>
        let packedB: UnsafeMutablePointer<Int16>
        let c: UnsafeMutablePointer<Int32>
        let scratch: UnsafeMutablePointer<Int32>

        func run(worker: Int) {
            let mc = PackedInt8GEMM.blockRows, mr = Kernel.tileRows, nr = PackedInt8GEMM.tileColumns
            let myA = packedA + worker * aBlockStride
            let myScratch = scratch + worker * scratchStride
            let aRowStride = PackedInt8GEMM.roundUp(blockDepth, 2)
            var block = worker
            while block < rowBlockCount {
                let ic = block * mc
                let blockRows = min(mc, m - ic)
                widenA(aBase, layoutA, m: m, k: k, rows: ic, count: blockRows, depth: pc, length: blockDepth,
                       rowStride: aRowStride, into: myA)
                macroKernel(a: myA, aRowStride: aRowStride, b: packedB, rows: blockRows, columns: blockColumns,
                            c: c + ic * n + jc, cRowStride: n, accumulate: pc > 0, scratch: myScratch)
                block += workers
            }
        }
    }

    /// Runs the micro-kernel over every MR × 16 tile of one widened A block and the packed B block.
    /// - Parameters:
    ///   - a: the A block: `rows` rounded up to MR rows of `aRowStride` int16.
    ///   - b: the packed B block: 16-column panels of `aRowStride / 2` pairs each.
    ///   - scratch: MR × 16 int32 for edge tiles.
    @inline(__always)
    static func macroKernel(a: UnsafePointer<Int16>, aRowStride: Int, b: UnsafePointer<Int16>, rows: Int, columns: Int,
                            c: UnsafeMutablePointer<Int32>, cRowStride: Int, accumulate: Bool,
                            scratch: UnsafeMutablePointer<Int32>) {
        let mr = Kernel.tileRows, nr = tileColumns
        let pairs = aRowStride / 2
        for jr in stride(from: 0, to: columns, by: nr) {
            let tileColumns = min(nr, columns - jr)
            let bPanel = b + jr * aRowStride
            for ir in stride(from: 0, to: rows, by: mr) {
                let tileRows = min(mr, rows - ir)
                let aPanel = a + ir * aRowStride
                let tile = c + ir * cRowStride + jr
                if tileRows == mr && tileColumns == nr {
                    Kernel.run(pairs: pairs, a: aPanel, aRowStride: aRowStride, b: bPanel,
                               c: tile, cRowStride: cRowStride, accumulate: accumulate)
                } else {
                    // Edge tile: compute a full tile in scratch, starting from C's values when continuing.
                    if accumulate {
                        for r in 0..<tileRows {
                            for column in 0..<tileColumns { scratch[r * nr + column] = tile[r * cRowStride + column] }
                        }
                    }
                    Kernel.run(pairs: pairs, a: aPanel, aRowStride: aRowStride, b: bPanel,
                               c: scratch, cRowStride: nr, accumulate: accumulate)
                    for r in 0..<tileRows {
                        for column in 0..<tileColumns { tile[r * cRowStride + column] = scratch[r * nr + column] }
                    }
                }
            }
        }
    }

    /// Widens A[rows..<rows+count][depth..<depth+length] into int16, row-major with `rowStride`
    /// (even, ≥ length) per row; the padding column and the rows up to a multiple of MR are zero.
    @inline(__always)
    static func widenA(_ a: UnsafePointer<Int8>, _ layout: MatrixLayout, m: Int, k: Int, rows: Int, count: Int,
                       depth: Int, length: Int, rowStride: Int, into packed: UnsafeMutablePointer<Int16>) {
        let paddedRows = roundUp(count, Kernel.tileRows)
        for r in 0..<paddedRows {
            let destination = packed + r * rowStride
            if r >= count {
                destination.update(repeating: 0, count: rowStride)
                continue
            }
            let i = rows + r
            if layout == .rowMajor {
                let source = a + i * k + depth
                for step in 0..<length { destination[step] = Int16(source[step]) }
            } else {
                let source = a + depth * m + i
                for step in 0..<length { destination[step] = Int16(source[step * m]) }
            }
            if length < rowStride { destination[length] = 0 }
        }
    }

    /// Packs B[depth..<depth+length][columns..<columns+count] as int16 into 16-column panels of
    /// depth pairs: panel q, pair g, column j, half h at `(q · pairs + g) · 32 + 2 · j + h`, holding
    /// B[depth + 2g + h][columns + 16q + j]; steps past `length` and columns past `count` are zero.
    @inline(__always)
    static func packB(_ b: UnsafePointer<Int8>, _ layout: MatrixLayout, k: Int, n: Int, depth: Int, length: Int,
                      columns: Int, count: Int, into packed: UnsafeMutablePointer<Int16>) {
        let nr = tileColumns
        let pairs = (length + 1) / 2
        var destination = packed
        for panel in stride(from: 0, to: count, by: nr) {
            let valid = min(nr, count - panel)
            for pair in 0..<pairs {
                let p = depth + 2 * pair
                let hasSecond = 2 * pair + 1 < length
                if layout == .rowMajor {
                    let first = b + p * n + columns + panel
                    let second = hasSecond ? first + n : first
                    if valid == nr && hasSecond {
                        for column in 0..<16 {
                            destination[2 * column] = Int16(first[column])
                            destination[2 * column + 1] = Int16(second[column])
                        }
                    } else {
                        for column in 0..<nr {
                            destination[2 * column] = column < valid ? Int16(first[column]) : 0
                            destination[2 * column + 1] = column < valid && hasSecond ? Int16(second[column]) : 0
                        }
                    }
                } else {
                    for column in 0..<nr {
                        if column < valid {
                            let source = b + (columns + panel + column) * k + p
                            destination[2 * column] = Int16(source[0])
                            destination[2 * column + 1] = hasSecond ? Int16(source[1]) : 0
                        } else {
                            destination[2 * column] = 0
                            destination[2 * column + 1] = 0
                        }
                    }
                }
                destination += 2 * nr
            }
        }
    }
}
