// The alt_bn128 (BN254) curve of EIP-196 and EIP-197, written here because no maintained library
// in our dependency set (OpenSSL, libsecp256k1) offers it (DESIGN.md §1a).
//
// Curve: E: y² = x³ + 3 over F_p with
//   p = 21888242871839275222246405745257275088696311157297823662689037894645226208583
//   r = 21888242871839275222246405745257275088548364400416034343698204186575808495617 (group order)
// both given by the BN parameter u = 4965661367192848881 as p = 36u⁴ + 36u³ + 24u² + 6u + 1 and
// r = 36u⁴ + 36u³ + 18u² + 6u + 1.
//
// Tower (EIP-197 fixes F_p² = F_p[i]/(i² + 1); the rest is the usual choice):
//   F_p²  = F_p[i]  / (i² + 1)
//   F_p⁶  = F_p²[v] / (v³ − ξ),  ξ = 9 + i
//   F_p¹² = F_p⁶[w] / (w² − v)   so w⁶ = ξ
// G2 is the D-type sextic twist E': y² = x³ + 3/ξ over F_p², mapped into E(F_p¹²) by
// (x, y) ↦ (x·w², y·w³).

/// Namespace for the alt_bn128 field tower, curve groups and pairing.
enum BN256 {}
