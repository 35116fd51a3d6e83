import Dispatch

// The packed int8 GEMM for `vpdpbusd` kernels (AVX-512 VNNI, AVX-VNNI): the loop nest of
// GEMM+PackedInt8.swift with the operands kept as bytes and grouped in fours, because vpdpbusd
// multiplies unsigned by signed bytes and adds four adjacent products into each int32 lane.
//
//   for jc in columns by NC:
//     for pc in depth by KC:
//       pack B[pc.., jc..] into NR-column panels of depth quads (below), zero-padded, and each
//         column's correction −128 · Σ_p B[p][j] over the block
//       for ic in rows by MC (threads take whole row blocks):
//         pack A[ic.., pc..] + 128 as unsigned bytes, row-major, rows padded to MR, depth to 4
//         for each NR-column panel × MR-row panel: micro-kernel on an MR × NR tile of C
//
// The +128 offset: vpdpbusd needs one operand unsigned, so A is stored as a + 128 ∈ [0, 255]
// (a XOR 0x80). Then Σ_p (a_ip + 128) · b_pj = Σ_p a_ip · b_pj + 128 · Σ_p b_pj, and the kernel
// starts each accumulator at the column's correction −128 · Σ_p b_pj. Every step is exact: a
// u8 · s8 product is at most 255 · 128 in magnitude (vpdpbusd forms it exactly and adds the four
// products and the accumulator with wrapping 32-bit addition, no saturation: that is vpdpbusds),
// and wrapping int32 addition is a ring operation modulo 2³², so the offset sums may wrap while the
// final value is the naive kernel's, bit for bit, at every depth. Depth padding is zero in both
// operands, so it adds nothing; padded A rows compute values nobody stores.
//
// Packed B, one panel: for depth quad g, column j and h = 0…3, byte 4·NR·g + 4·j + h holds
// B[4g + h][j]; each 64 bytes of a quad are one 512-bit vector (16 columns) or two 256-bit ones
// (8 columns each). Packed A: row i's bytes A[i][4g…4g + 3] + 128 are one 32-bit word, which
// the kernel broadcasts.

/// An MR × NR int8 micro-kernel over an offset A block and a packed quad B panel.
protocol Int8QuadKernel {
    /// MR: rows of the C tile held in registers (divides `PackedQuadInt8GEMM.blockRows`).
    static var tileRows: Int { get }
    /// NR: columns of the C tile and of a packed B panel (16 or 32).
    static var tileColumns: Int { get }
    /// C[0..<MR][0..<NR] (+)= A · B + correction over `quads` groups of four depth steps.
    /// - Parameters:
    ///   - quads: depth quads (depth / 4, rounded up; the missing steps are zero-padded).
    ///   - a: A + 128 as bytes; rows are `aRowStride` bytes apart and hold `4 · quads` values.
    ///   - aRowStride: the A block's row length in bytes (a multiple of 4).
    ///   - b: the packed B panel, 4 · NR bytes per quad.
    ///   - correction: NR int32 added to every row: −128 · the panel's column sums.
    ///   - c: the tile's first element; rows are `cRowStride` apart.
    ///   - cRowStride: C's row length in elements.
    ///   - accumulate: add to the tile's current values instead of overwriting them.
    static func run(quads: Int, a: UnsafePointer<UInt8>, aRowStride: Int, b: UnsafePointer<Int8>,
                    correction: UnsafePointer<Int32>, c: UnsafeMutablePointer<Int32>, cRowStride: Int,
                    accumulate: Bool)
}

enum PackedQuadInt8GEMM<Kernel: Int8QuadKernel> {
    /// NR: columns of a C tile and of a packed B panel.
    static var tileColumns: Int { Kernel.tileColumns }
    /// KC: depth of one block (a multiple of 4): a B panel is at most 1024 · 32 B = 32 KiB, a 12-row
    /// A panel 12 KiB, the whole A block 120 KiB (L2). Exact at any depth, so KC serves the caches only.
    static var blockDepth: Int { 1024 }
    /// MC: rows of one A block, a multiple of every kernel's MR (6 and 12).
    static var blockRows: Int { 120 }
    /// NC: columns of one packed B block: 1024 · 1024 B = 1 MiB, in L3.
    static var blockColumns: Int { 1024 }

    static func multiply(_ a: [Int8], _ layoutA: MatrixLayout, _ b: [Int8], _ layoutB: MatrixLayout,
                         _ shape: GEMMShape, threadCount: Int) -> [Int32] {
        let (m, n, k) = (shape.rows, shape.columns, shape.depth)
        guard m > 0, n > 0, k > 0 else { return [Int32](repeating: 0, count: m * n) }
        let mr = Kernel.tileRows, nr = tileColumns
        let kc = blockDepth, mc = blockRows, nc = blockColumns
        precondition(mc % mr == 0 && kc % 4 == 0, "block sizes must suit the kernel")
        let rowBlockCount = (m + mc - 1) / mc
        let workers = max(1, min(threadCount, rowBlockCount))
        // One workspace: packed B, its corrections, then each worker's A block and scratch tile.
        let depthCapacity = min(kc, roundUp(k, 4))
        let panelColumns = min(nc, roundUp(n, nr))
        let bBytes = PackingWorkspace.lines(depthCapacity * panelColumns)
        let correctionBytes = PackingWorkspace.lines(panelColumns * 4)
        let aBytes = PackingWorkspace.lines(min(mc, roundUp(m, mr)) * depthCapacity)
        let scratchBytes = PackingWorkspace.lines(mr * nr * 4)
        let total = bBytes + correctionBytes + workers * (aBytes + scratchBytes)
        return PackingWorkspace.withMemory(byteCount: total) { memory in
            let packedB = memory.bindMemory(to: Int8.self, capacity: bBytes)
            let corrections = (memory + bBytes).bindMemory(to: Int32.self, capacity: correctionBytes / 4)
            let packedA = (memory + bBytes + correctionBytes).bindMemory(to: UInt8.self, capacity: workers * aBytes)
            let scratch = (memory + bBytes + correctionBytes + workers * aBytes)
                .bindMemory(to: Int32.self, capacity: workers * scratchBytes / 4)
            scratch.initialize(repeating: 0, count: workers * scratchBytes / 4)
            return multiply(a, layoutA, b, layoutB, shape, workers: workers, packedA: packedA, aBlockStride: aBytes,
                            packedB: packedB, corrections: corrections, scratch: scratch,
                            scratchStride: scratchBytes / 4)
        }
    }

    private static func multiply(_ a: [Int8], _ layoutA: MatrixLayout, _ b: [Int8], _ layoutB: MatrixLayout,
                                 _ shape: GEMMShape, workers: Int, packedA: UnsafeMutablePointer<UInt8>,
                                 aBlockStride: Int, packedB: UnsafeMutablePointer<Int8>,
                                 corrections: UnsafeMutablePointer<Int32>,
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
                                  columns: jc, count: blockColumns, into: packedB, corrections: corrections)
                            let task = RowBlockTask(aBase: aBuffer.baseAddress!, layoutA: layoutA, m: m, n: n, k: k,
                                                    pc: pc, jc: jc, blockDepth: blockDepth, blockColumns: blockColumns,
                                                    rowBlockCount: rowBlockCount, workers: workers,
                                                    aBlockStride: aBlockStride, scratchStride: scratchStride,
                                                    packedA: packedA, packedB: packedB, corrections: corrections,
                                                    c: cBase, scratch: scratch)
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
        let packedA: UnsafeMutablePointer<UInt8>
        let packedB: UnsafeMutablePointer<Int8>
        let corrections: UnsafeMutablePointer<Int32>
        let c: UnsafeMutablePointer<Int32>
        let scratch: UnsafeMutablePointer<Int32>

        func run(worker: Int) {
            let mc = PackedQuadInt8GEMM.blockRows
            let myA = packedA + worker * aBlockStride
            let myScratch = scratch + worker * scratchStride
            let aRowStride = PackedQuadInt8GEMM.roundUp(blockDepth, 4)
            var block = worker
            while block < rowBlockCount {
                let ic = block * mc
                let blockRows = min(mc, m - ic)
                packA(aBase, layoutA, m: m, k: k, rows: ic, count: blockRows, depth: pc, length: blockDepth,
                      rowStride: aRowStride, into: myA)
                macroKernel(a: myA, aRowStride: aRowStride, b: packedB, corrections: corrections,
                            rows: blockRows, columns: blockColumns, c: c + ic * n + jc, cRowStride: n,
                            accumulate: pc > 0, scratch: myScratch)
                block += workers
            }
        }
    }

    /// Runs the micro-kernel over every MR × NR tile of one packed A block and the packed B block.
    /// - Parameters:
    ///   - a: the A block: `rows` rounded up to MR rows of `aRowStride` bytes.
    ///   - b: the packed B block: NR-column panels of `aRowStride / 4` quads each.
    ///   - corrections: NR int32 per panel.
    ///   - scratch: MR × NR int32 for edge tiles.
    @inline(__always)
    static func macroKernel(a: UnsafePointer<UInt8>, aRowStride: Int, b: UnsafePointer<Int8>,
                            corrections: UnsafePointer<Int32>, rows: Int, columns: Int,
                            c: UnsafeMutablePointer<Int32>, cRowStride: Int, accumulate: Bool,
                            scratch: UnsafeMutablePointer<Int32>) {
        let mr = Kernel.tileRows, nr = tileColumns
        let quads = aRowStride / 4
        for jr in stride(from: 0, to: columns, by: nr) {
            let tileColumns = min(nr, columns - jr)
            let bPanel = b + jr * aRowStride
            let correction = corrections + jr
            for ir in stride(from: 0, to: rows, by: mr) {
                let tileRows = min(mr, rows - ir)
                let aPanel = a + ir * aRowStride
                let tile = c + ir * cRowStride + jr
                if tileRows == mr && tileColumns == nr {
                    Kernel.run(quads: quads, a: aPanel, aRowStride: aRowStride, b: bPanel, correction: correction,
                               c: tile, cRowStride: cRowStride, accumulate: accumulate)
                } else {
                    // Edge tile: compute a full tile in scratch, starting from C's values when continuing.
                    if accumulate {
                        for r in 0..<tileRows {
                            for column in 0..<tileColumns { scratch[r * nr + column] = tile[r * cRowStride + column] }
                        }
                    }
                    Kernel.run(quads: quads, a: aPanel, aRowStride: aRowStride, b: bPanel, correction: correction,
                               c: scratch, cRowStride: nr, accumulate: accumulate)
                    for r in 0..<tileRows {
                        for column in 0..<tileColumns { tile[r * cRowStride + column] = scratch[r * nr + column] }
                    }
                }
            }
        }
    }

    /// Packs A[rows..<rows+count][depth..<depth+length] + 128 as bytes, row-major with `rowStride`
    /// (a multiple of 4, ≥ length) per row; the depth padding and the rows up to a multiple of MR are 0.
    @inline(__always)
    static func packA(_ a: UnsafePointer<Int8>, _ layout: MatrixLayout, m: Int, k: Int, rows: Int, count: Int,
                      depth: Int, length: Int, rowStride: Int, into packed: UnsafeMutablePointer<UInt8>) {
        let paddedRows = roundUp(count, Kernel.tileRows)
        for r in 0..<paddedRows {
            let destination = packed + r * rowStride
            if r >= count {
                destination.update(repeating: 0, count: rowStride)
                continue
            }
            let i = rows + r
            if layout == .rowMajor {
                let source = UnsafeRawPointer(a + i * k + depth).assumingMemoryBound(to: UInt8.self)
                for step in 0..<length { destination[step] = source[step] ^ 0x80 }
            } else {
                let source = a + depth * m + i
                for step in 0..<length { destination[step] = UInt8(bitPattern: source[step * m]) ^ 0x80 }
            }
            for step in length..<rowStride { destination[step] = 0 }
        }
    }

    /// Packs B[depth..<depth+length][columns..<columns+count] into NR-column panels of depth quads:
    /// panel q, quad g, column j, h at `(q · quads + g) · 4 · NR + 4 · j + h`, holding
    /// B[depth + 4g + h][columns + NR · q + j]; steps past `length` and columns past `count` are zero.
    /// `corrections[NR · q + j]` is −128 times the sum of that column over the block (0 past `count`).
    @inline(__always)
    static func packB(_ b: UnsafePointer<Int8>, _ layout: MatrixLayout, k: Int, n: Int, depth: Int, length: Int,
                      columns: Int, count: Int, into packed: UnsafeMutablePointer<Int8>,
                      corrections: UnsafeMutablePointer<Int32>) {
        let nr = tileColumns
        let quads = (length + 3) / 4
        var destination = packed
        for panel in stride(from: 0, to: count, by: nr) {
            let valid = min(nr, count - panel)
            let sums = corrections + panel
            sums.update(repeating: 0, count: nr)
            for quad in 0..<quads {
                if layout == .rowMajor && 4 * quad + 4 <= length {
                    // Four whole rows: one 32-bit word per column, then the four rows' column sums.
                    let row0 = b + (depth + 4 * quad) * n + columns + panel
                    let row1 = row0 + n, row2 = row1 + n, row3 = row2 + n
                    let words = UnsafeMutableRawPointer(destination)
                    for column in 0..<valid {
                        let word = UInt32(UInt8(bitPattern: row0[column]))
                            | UInt32(UInt8(bitPattern: row1[column])) << 8
                            | UInt32(UInt8(bitPattern: row2[column])) << 16
                            | UInt32(UInt8(bitPattern: row3[column])) << 24
                        words.storeBytes(of: word, toByteOffset: 4 * column, as: UInt32.self)
                    }
                    for column in valid..<nr { words.storeBytes(of: 0, toByteOffset: 4 * column, as: UInt32.self) }
                    for column in 0..<valid {
                        sums[column] &+= Int32(row0[column]) &+ Int32(row1[column]) &+ Int32(row2[column])
                            &+ Int32(row3[column])
                    }
                    destination += 4 * nr
                    continue
                }
                for h in 0..<4 {
                    let step = 4 * quad + h
                    if step >= length {
                        for column in 0..<nr { destination[4 * column + h] = 0 }
                        continue
                    }
                    let p = depth + step
                    if layout == .rowMajor {
                        let row = b + p * n + columns + panel
                        for column in 0..<valid {
                            destination[4 * column + h] = row[column]
                            sums[column] &+= Int32(row[column])
                        }
                    } else {
                        for column in 0..<valid {
                            let value = b[(columns + panel + column) * k + p]
                            destination[4 * column + h] = value
                            sums[column] &+= Int32(value)
                        }
                    }
                    for column in valid..<nr { destination[4 * column + h] = 0 }
                }
                destination += 4 * nr
            }
            for column in 0..<nr { sums[column] = sums[column] &* -128 }
        }
    }
}
