#if canImport(Glibc)
import Glibc
#endif

/// What the running CPU supports, for choosing a GEMM kernel at run time.
///
/// Linux lists a CPU feature in /proc/cpuinfo only when both the CPU and the kernel support it
/// (AVX-512 needs the kernel to save the wider register state), so the flags line is the whole
/// check. Elsewhere every flag reads false and the baseline kernels run.
enum CPUFeatures {
    /// The flags InferenceAVX512 is compiled for (`-target-cpu cascadelake`): AVX-512 F, CD, BW,
    /// DQ, VL and VNNI, on top of the Haswell baseline's AVX2, FMA, BMI1/2 and MOVBE.
    static let avx512VNNIFlags = ["avx2", "fma", "bmi1", "bmi2", "movbe",
                                  "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl", "avx512_vnni"]

    /// Whether the InferenceAVX512 kernels can run here.
    static let hasAVX512VNNI: Bool = {
        #if arch(x86_64) && os(Linux)
        let flags = Set(cpuinfoFlags().map(String.init))
        return avx512VNNIFlags.allSatisfy { flags.contains($0) }
        #else
        return false
        #endif
    }()

    /// The words of the first "flags" line of /proc/cpuinfo, or none if it cannot be read.
    static func cpuinfoFlags() -> [Substring] {
        #if os(Linux)
        guard let file = fopen("/proc/cpuinfo", "r") else { return [] }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>? = nil
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0 {
            guard let line else { break }
            let text = String(cString: line)
            if text.hasPrefix("flags") {
                guard let colon = text.firstIndex(of: ":") else { return [] }
                return text[text.index(after: colon)...].split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
            }
        }
        #endif
        return []
    }
}
