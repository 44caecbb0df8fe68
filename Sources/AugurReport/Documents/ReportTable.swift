/// A table as every format shows it: cells are plain strings (escaped by each renderer), so the text,
/// Markdown and HTML reports cannot disagree on content.
public struct ReportTable: Sendable, Equatable {
    public enum Alignment: Sendable { case left, right }

    public struct Column: Sendable, Equatable {
        public var header: String
        public var alignment: Alignment

        public init(_ header: String, _ alignment: Alignment = .right) {
            self.header = header
            self.alignment = alignment
        }
    }

    public var columns: [Column]
    public var rows: [[String]]
    /// Optional per-row link targets (relative paths, percent-encoded when rendered) for the first cell, used by
    /// the Markdown and HTML renderings.
    public var links: [String?]

    public init(columns: [Column], rows: [[String]], links: [String?] = []) {
        self.columns = columns
        self.rows = rows
        self.links = links
    }

    private func link(_ row: Int) -> String? { row < links.count ? links[row] : nil }

    /// Fixed-width text no wider than `width` characters where possible: the first left-aligned column is
    /// cut (ending in "…") when the table would be wider; controls in cells are neutralised.
    public func text(width: Int = 80, indent: String = "") -> String {
        let cells = ([columns.map(\.header)] + rows).map { $0.map(Escaping.terminal) }
        var widths = columns.indices.map { c in cells.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        let total = widths.reduce(0, +) + 2 * (columns.count - 1) + indent.count
        if total > width, let shrink = columns.firstIndex(where: { $0.alignment == .left }) {
            widths[shrink] = max(4, widths[shrink] - (total - width))
        }
        var lines: [String] = []
        for row in cells {
            var line = indent
            for (c, column) in columns.enumerated() {
                var cell = c < row.count ? row[c] : ""
                if cell.count > widths[c] { cell = String(cell.prefix(widths[c] - 1)) + "…" }
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                let isLast = c == columns.count - 1
                line += column.alignment == .right ? pad + cell : cell + (isLast ? "" : pad)
                if !isLast { line += "  " }
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// A GitHub-flavoured Markdown table.
    public func markdown() -> String {
        func line(_ cells: [String], link: String?) -> String {
            let escaped = columns.indices.map { i -> String in
                let cell = i < cells.count ? Escaping.markdown(cells[i]) : ""
                guard i == 0, let link else { return cell }
                return "[\(cell)](\(Escaping.urlPath(link)))"
            }
            return "| " + escaped.joined(separator: " | ") + " |"
        }
        let rule = "|" + columns.map { $0.alignment == .right ? "---:|" : ":---|" }.joined()
        let body = rows.enumerated().map { line($0.element, link: link($0.offset)) }
        return ([line(columns.map(\.header), link: nil), rule] + body).joined(separator: "\n")
    }

    /// An HTML `<table>` (well-formed XML); numeric columns get `class="num"`.
    public func html(caption: String? = nil) -> String {
        var out = "<div class=\"scroll\"><table>\n"
        if let caption { out += "<caption>\(Escaping.xml(caption))</caption>\n" }
        out += "<thead><tr>"
        for column in columns {
            out += column.alignment == .right ? "<th class=\"num\">" : "<th>"
            out += Escaping.xml(column.header) + "</th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        for (r, row) in rows.enumerated() {
            out += "<tr>"
            for (c, column) in columns.enumerated() {
                out += column.alignment == .right ? "<td class=\"num\">" : "<td>"
                let cell = c < row.count ? Escaping.xml(row[c]) : ""
                if c == 0, let link = link(r) {
                    out += "<a href=\"\(Escaping.xml(Escaping.urlPath(link)))\">" + cell + "</a>"
                } else {
                    out += cell
                }
                out += "</td>"
            }
            out += "</tr>\n"
        }
        return out + "</tbody>\n</table></div>"
    }
}
