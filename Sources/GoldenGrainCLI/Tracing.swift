import EVM
import Foundation

/// The tracer behind `--trace`: EIP-3155 JSON lines on standard error.
/// - Returns: the tracer.
func standardErrorTracer() -> (any Tracer)? {
    // TODO: EIP3155Tracer { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
    // once the interpreter's EIP3155Tracer lands on main.
    FileHandle.standardError.write(Data("--trace: EIP3155Tracer not yet available\n".utf8))
    return nil
}
