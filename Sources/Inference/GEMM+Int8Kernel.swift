// The int8 × int8 → int32 micro-kernel: a 6 × 16 tile of C in six SIMD16<Int32> registers. Each
// step sign-extends 16 packed B values to int32 and adds six broadcast A values times them. int8
// products need 15 bits and sums are exact in int32 (see GEMM.maximumExactDepth), so the result
// does not depend on the vector width the compiler picks: with AVX-512 this is six vpmulld/vpaddd
// pairs on zmm registers, with SSE2 the same arithmetic on four xmm registers each.

/// Exact int8 GEMM micro-kernel (MR = 6, NR = 16).
enum Int8MicroKernel: MicroKernel {
    typealias Element = Int8
    typealias Accumulator = Int32
    typealias Vector = SIMD16<Int32>

    static var tileRows: Int { 6 }
    static var tileColumns: Int { 16 }
    static var blockDepth: Int { 512 }
    static var blockRows: Int { 96 }
    static var blockColumns: Int { 512 }

    // Not inlined: one call per tile is cheap, and inlining this SIMD body into the generic
    // driver crashes Swift 6.3.1's IRGen (shufflevector builtin, signal 11).
    @inline(never)
    static func run(depth: Int, a: UnsafePointer<Int8>, b: UnsafePointer<Int8>,
                    c: UnsafeMutablePointer<Int32>, rowStride: Int, accumulate: Bool) {
        let rawC = UnsafeMutableRawPointer(c)
        let stride = rowStride * 4
        var c0 = Vector(), c1 = Vector(), c2 = Vector(), c3 = Vector(), c4 = Vector(), c5 = Vector()
        if accumulate {
            c0 = rawC.loadUnaligned(as: Vector.self)
            c1 = rawC.loadUnaligned(fromByteOffset: stride, as: Vector.self)
            c2 = rawC.loadUnaligned(fromByteOffset: 2 * stride, as: Vector.self)
            c3 = rawC.loadUnaligned(fromByteOffset: 3 * stride, as: Vector.self)
            c4 = rawC.loadUnaligned(fromByteOffset: 4 * stride, as: Vector.self)
            c5 = rawC.loadUnaligned(fromByteOffset: 5 * stride, as: Vector.self)
        }
        let rawB = UnsafeRawPointer(b)
        var aStep = a
        for step in 0..<depth {
            let bv = Vector(truncatingIfNeeded: rawB.loadUnaligned(fromByteOffset: step * 16, as: SIMD16<Int8>.self))
            c0 &+= Vector(repeating: Int32(aStep[0])) &* bv
            c1 &+= Vector(repeating: Int32(aStep[1])) &* bv
            c2 &+= Vector(repeating: Int32(aStep[2])) &* bv
            c3 &+= Vector(repeating: Int32(aStep[3])) &* bv
            c4 &+= Vector(repeating: Int32(aStep[4])) &* bv
            c5 &+= Vector(repeating: Int32(aStep[5])) &* bv
            aStep += 6
        }
        rawC.storeBytes(of: c0, as: Vector.self)
        rawC.storeBytes(of: c1, toByteOffset: stride, as: Vector.self)
        rawC.storeBytes(of: c2, toByteOffset: 2 * stride, as: Vector.self)
        rawC.storeBytes(of: c3, toByteOffset: 3 * stride, as: Vector.self)
        rawC.storeBytes(of: c4, toByteOffset: 4 * stride, as: Vector.self)
        rawC.storeBytes(of: c5, toByteOffset: 5 * stride, as: Vector.self)
    }
}
