// The int8 × int8 → int32 micro-kernel computes exactly in float32 registers.
//
// Why floats: an int8 product has magnitude at most 128² = 2¹⁴, and a sum of at most 1024 of them
// at most 2²⁴, so every product and every partial sum of a depth block of ≤ 1024 steps is an
// integer that float32's 24-bit significand holds exactly. No rounding ever happens, so the result
// equals integer arithmetic bit for bit, with or without fused multiply-add, at any vector width.
// Each depth block's float tile is then converted to int32 (exact) and added to C with wrapping
// int32 addition, like the naive kernel's. On x86-64 this runs at float speed (mulps/addps exist
// in every SSE2 machine, while a 32-bit integer vector multiply needs SSE4.1), and it is the
// kernel gemmlowp-style code would otherwise need pmaddwd for.
//
// Tile: 6 × 16, six SIMD16<Float> accumulators; one rank-1 update per step.

/// Exact int8 GEMM micro-kernel (MR = 6, NR = 16) using float32 accumulation within depth blocks of ≤ 1024.
enum Int8MicroKernel: MicroKernel {
    typealias Source = Int8
    typealias Element = Float
    typealias Accumulator = Int32
    typealias Vector = SIMD16<Float>
    typealias IntegerVector = SIMD16<Int32>

    @inline(__always)
    static func pack(_ value: Int8) -> Float { Float(value) }

    static var tileRows: Int { 6 }
    static var tileColumns: Int { 16 }
    /// Below 256, so a block's sums stay under 2²² (192 · 2¹⁴ = 3 · 2²⁰): exact in float32 and
    /// inside the range of the conversion trick in `run`.
    static var blockDepth: Int { 192 }
    static var blockRows: Int { 96 }
    static var blockColumns: Int { 512 }

    // Not inlined: one call per tile is cheap, and inlining this SIMD body into the generic
    // driver crashes Swift 6.3.1's IRGen (shufflevector builtin, signal 11).
    @inline(never)
    static func run(depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                    c: UnsafeMutablePointer<Int32>, rowStride: Int, accumulate: Bool) {
        var c0 = Vector(), c1 = Vector(), c2 = Vector(), c3 = Vector(), c4 = Vector(), c5 = Vector()
        let rawB = UnsafeRawPointer(b)
        var aStep = a
        for step in 0..<depth {
            let bv = rawB.loadUnaligned(fromByteOffset: step * 64, as: Vector.self)
            c0 = c0 + Vector(repeating: aStep[0]) * bv
            c1 = c1 + Vector(repeating: aStep[1]) * bv
            c2 = c2 + Vector(repeating: aStep[2]) * bv
            c3 = c3 + Vector(repeating: aStep[3]) * bv
            c4 = c4 + Vector(repeating: aStep[4]) * bv
            c5 = c5 + Vector(repeating: aStep[5]) * bv
            aStep += 6
        }
        let rawC = UnsafeMutableRawPointer(c)
        let stride = rowStride * 4
        @inline(__always) func store(_ tile: Vector, row: Int) {
            // tile + 1.5·2²³ lies in (2²³, 2²⁴), where float32's unit in the last place is 1, so its
            // bit pattern minus that of 1.5·2²³ is the integer itself (exact because |tile| < 2²²).
            var sum = unsafeBitCast(tile + Vector(repeating: 12_582_912), to: IntegerVector.self) &- 0x4B40_0000
            if accumulate { sum &+= rawC.loadUnaligned(fromByteOffset: row * stride, as: IntegerVector.self) }
            rawC.storeBytes(of: sum, toByteOffset: row * stride, as: IntegerVector.self)
        }
        store(c0, row: 0); store(c1, row: 1); store(c2, row: 2)
        store(c3, row: 3); store(c4, row: 4); store(c5, row: 5)
    }
}
