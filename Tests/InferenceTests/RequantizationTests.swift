import Inference
import Testing

struct RequantizationTests {
    @Test("high multiply rounds to nearest, ties toward +∞, and saturates the one overflow")
    func highMultiply() {
        #expect(Requantization.saturatingRoundingDoublingHighMultiply(.min, .min) == .max)
        #expect(Requantization.saturatingRoundingDoublingHighMultiply(1000, 1 << 30) == 500)
        #expect(Requantization.saturatingRoundingDoublingHighMultiply(3, 1 << 30) == 2)      // 1.5 → 2
        #expect(Requantization.saturatingRoundingDoublingHighMultiply(-3, 1 << 30) == -1)    // −1.5 → −1
    }

    @Test("rounding right shift rounds half away from zero")
    func roundingShift() {
        #expect(Requantization.roundingRightShift(5, by: 1) == 3)
        #expect(Requantization.roundingRightShift(-5, by: 1) == -3)
        #expect(Requantization.roundingRightShift(4, by: 2) == 1)
        #expect(Requantization.roundingRightShift(-7, by: 2) == -2)
        #expect(Requantization.roundingRightShift(123, by: 0) == 123)
    }

    @Test("requantize saturates to int8")
    func saturation() {
        #expect(Requantization.requantize(1_000_000, multiplier: 1 << 30, shift: 0) == 127)
        #expect(Requantization.requantize(-1_000_000, multiplier: 1 << 30, shift: 0) == -128)
        #expect(Requantization.requantize(200, multiplier: 1 << 30, shift: 1) == 50)
    }

    @Test("a factor splits into a normalized multiplier and shift")
    func multiplierAndShift() {
        #expect(Requantization.multiplierAndShift(for: 0.5)! == (1 << 30, 0))
        #expect(Requantization.multiplierAndShift(for: 0.25)! == (1 << 30, 1))
        #expect(Requantization.multiplierAndShift(for: 0.75)! == (1_610_612_736, 0))
        #expect(Requantization.multiplierAndShift(for: 1.0) == nil)
        #expect(Requantization.multiplierAndShift(for: 0) == nil)
    }
}
