// The float32 micro-kernel: a 6 × 16 tile of C in six SIMD16<Float> registers, one rank-1 update
// per step. It multiplies and then adds (two roundings, never a fused multiply-add) and continues
// from C's current values, so every element is summed in the naive order and the result equals
// NaiveGEMM bit for bit on every machine and vector width.

/// Float32 GEMM micro-kernel (MR = 6, NR = 16).
enum FloatMicroKernel: MicroKernel {
    typealias Source = Float
    typealias Element = Float
    typealias Accumulator = Float
    typealias Vector = SIMD16<Float>

    @inline(__always)
    static func pack(_ value: Float) -> Float { value }

    static var tileRows: Int { 6 }
    static var tileColumns: Int { 16 }
    static var blockDepth: Int { 256 }
    static var blockRows: Int { 96 }
    static var blockColumns: Int { 512 }

    // Not inlined: one call per tile is cheap, and inlining this SIMD body into the generic
    // driver crashes Swift 6.3.1's IRGen (shufflevector builtin, signal 11).
    @inline(never)
    static func run(depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                    c: UnsafeMutablePointer<Float>, rowStride: Int, accumulate: Bool) {
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
            let bv = rawB.loadUnaligned(fromByteOffset: step * 64, as: Vector.self)
            c0 = c0 + Vector(repeating: aStep[0]) * bv
            c1 = c1 + Vector(repeating: aStep[1]) * bv
            c2 = c2 + Vector(repeating: aStep[2]) * bv
            c3 = c3 + Vector(repeating: aStep[3]) * bv
            c4 = c4 + Vector(repeating: aStep[4]) * bv
            c5 = c5 + Vector(repeating: aStep[5]) * bv
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
