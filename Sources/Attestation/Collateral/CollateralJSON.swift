import Primitives

/// Reading Intel's collateral JSON (TCB Info v3, Enclave Identity v2, dcap-qvl's collateral.json):
/// typed fields with errors that name the document and the field's path, and the exact bytes of
/// a top-level member, which is what Intel's signatures cover.
///
/// Values are read through `JSON.parse` (strict RFC 8259). The raw member spans come from a
/// second, structural pass over the same bytes that runs only after `JSON.parse` accepted them,
/// so it never sees malformed text. Members not listed by Intel's format are ignored, as QVL does;
/// a member that appears twice in an object that is read is refused, since readers could
/// disagree on which one counts.
struct CollateralJSONObject {
    /// The document, for errors.
    let document: CollateralDocument
    /// The path of this object inside the document ("" for the top level), for errors.
    let path: String
    /// The members, in order, without duplicates.
    let members: [(String, JSON)]

    /// Reads `value` as an object.
    /// - Throws: `.invalidField` if it is not an object, `.duplicateField` for a repeated member.
    init(_ value: JSON, document: CollateralDocument, path: String) throws(CollateralError) {
        guard case .object(let members) = value else {
            throw .invalidField(document: document, field: path.isEmpty ? "(top level)" : path,
                                found: Self.kind(of: value), expected: "an object")
        }
        var seen = Set<String>()
        for (name, _) in members where !seen.insert(name).inserted {
            throw .duplicateField(document: document, field: Self.join(path, name))
        }
        self.document = document
        self.path = path
        self.members = members
    }

    /// Parses `bytes` as a JSON object.
    /// - Throws: `.invalidJSON`, or the errors of `init(_:document:path:)`.
    init(parsing bytes: [UInt8], document: CollateralDocument) throws(CollateralError) {
        let value: JSON
        do {
            value = try JSON.parse(bytes)
        } catch {
            throw .invalidJSON(document: document, offset: error.offset, reason: error.reason)
        }
        try self.init(value, document: document, path: "")
    }

    /// The member's path for errors.
    func fieldPath(_ key: String) -> String { Self.join(path, key) }

    /// The member `key`, or `nil` if absent.
    func optional(_ key: String) -> JSON? { members.first { $0.0 == key }?.1 }

    /// The member `key`.
    func value(_ key: String) throws(CollateralError) -> JSON {
        guard let value = optional(key) else { throw .missingField(document: document, field: fieldPath(key)) }
        return value
    }

    /// The member `key` as a string.
    func string(_ key: String) throws(CollateralError) -> String {
        let value = try value(key)
        guard case .string(let text) = value else { throw invalid(key, value, expected: "a string") }
        return text
    }

    /// The member `key` as a string that must equal `expected` (an id).
    func string(_ key: String, equalTo expected: String) throws(CollateralError) {
        let found = try string(key)
        guard found == expected else {
            throw .invalidField(document: document, field: fieldPath(key), found: "\"\(found)\"", expected: "\"\(expected)\"")
        }
    }

    /// The member `key` as a non-negative integer no larger than `maximum` (plain digits, no sign,
    /// fraction or exponent).
    func integer(_ key: String, maximum: UInt64) throws(CollateralError) -> UInt64 {
        let value = try value(key)
        guard case .number(let literal) = value, !literal.isEmpty, literal.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let number = UInt64(literal), number <= maximum else {
            throw invalid(key, value, expected: "an integer from 0 to \(maximum)")
        }
        return number
    }

    /// The member `key` as an integer that must equal `expected` (a version).
    func integer(_ key: String, equalTo expected: UInt64) throws(CollateralError) {
        let value = try value(key)
        guard case .number(let literal) = value, literal == String(expected) else {
            throw invalid(key, value, expected: String(expected))
        }
    }

    /// The member `key` as a hex string of exactly `byteCount` bytes (either case, no 0x prefix).
    func hex(_ key: String, byteCount: Int) throws(CollateralError) -> [UInt8] {
        let value = try value(key)
        let expected = "\(byteCount * 2) hex digits (\(byteCount) bytes)"
        guard case .string(let text) = value, text.utf8.count == byteCount * 2,
              !text.hasPrefix("0x"), !text.hasPrefix("0X"), let bytes = try? Hex.decode(text), bytes.count == byteCount else {
            throw invalid(key, value, expected: expected)
        }
        return bytes
    }

    /// The member `key` as an ISO 8601 UTC date-time `YYYY-MM-DDThh:mm:ssZ`, in seconds since the Unix epoch.
    func date(_ key: String) throws(CollateralError) -> Int64 {
        let value = try value(key)
        guard case .string(let text) = value, let seconds = ISO8601.seconds(text) else {
            throw invalid(key, value, expected: "an ISO 8601 UTC date-time YYYY-MM-DDThh:mm:ssZ")
        }
        return seconds
    }

    /// The member `key` as an array.
    func array(_ key: String) throws(CollateralError) -> [JSON] {
        let value = try value(key)
        guard case .array(let elements) = value else { throw invalid(key, value, expected: "an array") }
        return elements
    }

    /// The member `key` as an object.
    func object(_ key: String) throws(CollateralError) -> CollateralJSONObject {
        try CollateralJSONObject(value(key), document: document, path: fieldPath(key))
    }

    /// The member `key` as an array of strings, or `[]` if it is absent (Intel omits empty advisory lists).
    func optionalStrings(_ key: String) throws(CollateralError) -> [String] {
        guard let value = optional(key) else { return [] }
        guard case .array(let elements) = value else { throw invalid(key, value, expected: "an array of strings") }
        var strings: [String] = []
        for (index, element) in elements.enumerated() {
            guard case .string(let text) = element else {
                throw .invalidField(document: document, field: "\(fieldPath(key))[\(index)]",
                                    found: Self.describe(element), expected: "a string")
            }
            strings.append(text)
        }
        return strings
    }

    /// A TCB status from its Intel name, restricted to `allowed`.
    func status(_ key: String, allowed: [TCBStatus]) throws(CollateralError) -> TCBStatus {
        let text = try string(key)
        guard let status = TCBStatus(rawValue: text), allowed.contains(status) else {
            throw .invalidField(document: document, field: fieldPath(key), found: "\"\(text)\"",
                                expected: "one of " + allowed.map(\.rawValue).joined(separator: ", "))
        }
        return status
    }

    /// An `.invalidField` error for member `key`.
    func invalid(_ key: String, _ value: JSON, expected: String) -> CollateralError {
        .invalidField(document: document, field: fieldPath(key), found: Self.describe(value), expected: expected)
    }

    /// A short rendering of a value for messages (strings quoted, long values cut).
    static func describe(_ value: JSON) -> String {
        let text: String
        switch value {
        case .string(let string): text = "\"\(string)\""
        case .number(let literal): text = literal
        default: text = kind(of: value)
        }
        return text.count > 80 ? String(text.prefix(77)) + "…" : text
    }

    private static func kind(of value: JSON) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): String(flag)
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    private static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}

/// The exact bytes of the members of a top-level JSON object: Intel signs the bytes of the
/// `tcbInfo` / `enclaveIdentity` member as they appear in the file, so they are sliced out, never
/// re-serialised.
enum JSONMemberSpans {
    /// The byte range of each top-level member's value, by name (names decoded as JSON strings).
    /// - Precondition: `bytes` is one JSON object that `JSON.parse` accepted.
    static func spans(in bytes: [UInt8]) -> [(String, Range<Int>)] {
        var position = 0
        func skipWhitespace() {
            while position < bytes.count, [0x20, 0x09, 0x0a, 0x0d].contains(bytes[position]) { position += 1 }
        }
        /// Moves past one string starting at `position` (a quote).
        func skipString() {
            position += 1
            while position < bytes.count, bytes[position] != UInt8(ascii: "\"") {
                position += bytes[position] == UInt8(ascii: "\\") ? 2 : 1
            }
            position += 1
        }
        /// Moves past one value starting at `position`.
        func skipValue() {
            var depth = 0
            repeat {
                switch bytes[position] {
                case UInt8(ascii: "\""): skipString(); continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
                default:
                    // A scalar at depth 0 ends at a delimiter.
                    if depth == 0 {
                        while position < bytes.count, !",}] \t\r\n".utf8.contains(bytes[position]) { position += 1 }
                        return
                    }
                }
                position += 1
            } while depth > 0 && position < bytes.count
        }

        var spans: [(String, Range<Int>)] = []
        skipWhitespace()
        position += 1  // {
        skipWhitespace()
        while position < bytes.count, bytes[position] == UInt8(ascii: "\"") {
            let keyStart = position
            skipString()
            let key = (try? JSON.parse(bytes[keyStart..<position]))?.stringValue ?? ""
            skipWhitespace()
            position += 1  // :
            skipWhitespace()
            let valueStart = position
            skipValue()
            spans.append((key, valueStart..<position))
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: ",") {
                position += 1
                skipWhitespace()
            }
        }
        return spans
    }
}

/// ISO 8601 date-times in the one form Intel's collateral uses, `YYYY-MM-DDThh:mm:ssZ` (UTC).
enum ISO8601 {
    /// Seconds since the Unix epoch, or `nil` unless `text` is exactly that form with a real date.
    static func seconds(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count == 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              bytes[19] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for byte in bytes[range] {
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int64(byte - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
              hour < 24, minute < 60, second < 60 else { return nil }
        return daysFromCivil(year: year, month: month, day: day) * 86_400 + hour * 3_600 + minute * 60 + second
    }

    /// The ISO 8601 text of a Unix time (for messages and tests).
    static func text(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        let (year, month, day) = civilFromDays(days)
        func pad(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(rest / 3_600, 2)):\(pad(rest / 60 % 60, 2)):\(pad(rest % 60, 2))Z"
    }

    private static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
    private static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The inverse of `daysFromCivil` (H. Hinnant's civil_from_days).
    private static func civilFromDays(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
