/// A table rendered as Markdown rows, the way Foundry prints its gas report (comfy-table's
/// ASCII_MARKDOWN preset): every cell padded by one space on each side to its column's widest
/// content, left-aligned; a `|---|` line under the header; short rows filled with empty cells.
///
///     | Marketplace Contract |                 |     |
///     |----------------------|-----------------|-----|
///     | Deployment Cost      | Deployment Size |     |
public struct TextTable: Sendable, Equatable {
    /// The header cells.
    public var header: [String]
    /// The body rows.
    public var rows: [[String]]

    /// Creates a table.
    /// - Parameters:
    ///   - header: the header cells.
    ///   - rows: the body rows (may be shorter than the widest row).
    public init(header: [String], rows: [[String]] = []) {
        self.header = header
        self.rows = rows
    }

    /// The rendered lines, without line ends.
    public var lines: [String] {
        let columnCount = ([header] + rows).map(\.count).max() ?? 0
        guard columnCount > 0 else { return [] }
        var widths = [Int](repeating: 0, count: columnCount)
        for row in [header] + rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        func render(_ row: [String]) -> String {
            var line = "|"
            for index in 0..<columnCount {
                let cell = index < row.count ? row[index] : ""
                line += " " + cell + String(repeating: " ", count: widths[index] - cell.count) + " |"
            }
            return line
        }
        let separator = "|" + widths.map { String(repeating: "-", count: $0 + 2) + "|" }.joined()
        return [render(header), separator] + rows.map(render)
    }

    /// The rendered table, one line per row, each ending in a newline.
    public var rendered: String { lines.map { $0 + "\n" }.joined() }
}
