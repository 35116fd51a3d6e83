/// A labelled dataset in the GGD format (docs/formats.md, "## GGD dataset format"): int8 features,
/// row-major, and one label byte per sample.
///
/// Layout (little-endian): `"GGD1"`, u32 sample count (1…1,048,576), u32 feature count (1…4096),
/// `count × features` int8 features, `count` u8 labels. The inference precompile reads the same
/// bytes after the model.
public struct Dataset: Equatable, Sendable {
    /// The format's magic, `GGD1`.
    public static let magic = "GGD1"
    /// The largest sample count a GGD file may hold.
    public static let maximumSampleCount = 1 << 20
    /// The largest feature count per sample.
    public static let maximumFeatureCount = 4096

    /// The number of samples.
    public let sampleCount: Int
    /// The number of features per sample.
    public let featureCount: Int
    /// `sampleCount × featureCount` features, sample-major.
    public let features: [Int8]
    /// One label per sample.
    public let labels: [UInt8]

    /// Creates a dataset from its parts.
    /// - Parameters:
    ///   - features: `labels.count × featureCount` features, sample-major.
    ///   - labels: one label per sample.
    ///   - featureCount: features per sample.
    /// - Throws: `InferenceError.sizeOutOfRange` if a count is zero or above its limit, or
    ///   `.truncated` if `features` does not hold `labels.count × featureCount` values.
    public init(features: [Int8], labels: [UInt8], featureCount: Int) throws(InferenceError) {
        guard (1...Self.maximumSampleCount).contains(labels.count) else {
            throw .sizeOutOfRange(field: "sample count", value: labels.count, minimum: 1, maximum: Self.maximumSampleCount)
        }
        guard (1...Self.maximumFeatureCount).contains(featureCount) else {
            throw .sizeOutOfRange(field: "feature count", value: featureCount, minimum: 1, maximum: Self.maximumFeatureCount)
        }
        guard features.count == labels.count * featureCount else {
            throw .truncated(offset: features.count, reading: "features", needed: labels.count * featureCount,
                             available: features.count)
        }
        self.sampleCount = labels.count
        self.featureCount = featureCount
        self.features = features
        self.labels = labels
    }

    /// Parses a GGD file strictly.
    /// - Parameter bytes: the whole file.
    /// - Throws: `InferenceError` naming the first problem: bad magic, a size out of range,
    ///   truncation (with its offset and the field) or trailing bytes.
    public init(bytes: [UInt8]) throws(InferenceError) {
        var reader = ByteReader(bytes)
        self = try Self.parse(&reader)
        try reader.requireEnd()
    }

    static func parse(_ reader: inout ByteReader) throws(InferenceError) -> Dataset {
        try reader.readMagic(magic)
        let count = try reader.readSize("sample count", limit: maximumSampleCount)
        let featureCount = try reader.readSize("feature count", limit: maximumFeatureCount)
        let features = try reader.readInt8Array(count: count * featureCount, "features")
        let labels = try reader.readUInt8Array(count: count, "labels")
        return try Dataset(features: features, labels: labels, featureCount: featureCount)
    }

    /// The GGD encoding of this dataset.
    public var bytes: [UInt8] {
        var writer = ByteWriter()
        writer.write(Self.magic)
        writer.write(UInt32(sampleCount))
        writer.write(UInt32(featureCount))
        writer.write(features)
        writer.write(labels)
        return writer.bytes
    }

    /// The samples in `range`, as a dataset of their own.
    /// - Parameter range: sample indices; must be non-empty and inside `0..<sampleCount`.
    /// - Returns: those samples and labels.
    public func samples(_ range: Range<Int>) -> Dataset {
        precondition(!range.isEmpty && range.lowerBound >= 0 && range.upperBound <= sampleCount,
                     "sample range \(range) is not a non-empty part of 0..<\(sampleCount)")
        // Sizes were checked when self was made; a sub-range stays within them.
        return try! Dataset(features: Array(features[(range.lowerBound * featureCount)..<(range.upperBound * featureCount)]),
                            labels: Array(labels[range]), featureCount: featureCount)
    }
}
