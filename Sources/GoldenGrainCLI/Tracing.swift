import EVM
import Foundation

/// The tracer behind `--trace`: EIP-3155 JSON lines on standard error.
/// - Returns: the tracer.
func standardErrorTracer() -> (any Tracer)? {
    EIP3155Tracer { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
}
