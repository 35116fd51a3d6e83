/// The reference GEMM: three loops in the obvious order. It defines the results the packed
/// backend must reproduce: int32 sums wrap (two's complement), and each float output is summed over
/// p = 0, 1, …, depth − 1 from +0.0 with one rounded multiply and one rounded add per step.
enum NaiveGEMM {
    static func multiply(_ a: [Int8], _ layoutA: MatrixLayout, _ b: [Int8], _ layoutB: MatrixLayout,
                         _ shape: GEMMShape) -> [Int32] {
        let (m, n, k) = (shape.rows, shape.columns, shape.depth)
        var c = [Int32](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum: Int32 = 0
                for p in 0..<k {
                    let left = Int32(a[layoutA == .rowMajor ? i * k + p : p * m + i])
                    let right = Int32(b[layoutB == .rowMajor ? p * n + j : j * k + p])
                    sum = sum &+ left &* right
                }
                c[i * n + j] = sum
            }
        }
        return c
    }

    static func multiply(_ a: [Float], _ layoutA: MatrixLayout, _ b: [Float], _ layoutB: MatrixLayout,
                         _ shape: GEMMShape) -> [Float] {
        let (m, n, k) = (shape.rows, shape.columns, shape.depth)
        var c = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum: Float = 0
                for p in 0..<k {
                    let product = a[layoutA == .rowMajor ? i * k + p : p * m + i] * b[layoutB == .rowMajor ? p * n + j : j * k + p]
                    sum = sum + product
                }
                c[i * n + j] = sum
            }
        }
        return c
    }
}
