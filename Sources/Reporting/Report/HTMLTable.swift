/// Small builders for the HTML report; every piece of text passes through `escape`.
enum HTML {
    /// Escapes text for element content and quoted attribute values (&, <, >, quotes).
    static func escape(_ text: String) -> String { SVG.escape(text) }

    /// A table; `header` and `rows` are plain text (escaped here). Cells of numeric columns
    /// (by index in `numeric`) are right-aligned.
    static func table(_ header: [String], _ rows: [[String]], numeric: Set<Int> = [], className: String? = nil) -> String {
        let attribute = className.map { " class=\"\($0)\"" } ?? ""
        var parts = ["<table\(attribute)>", "<thead><tr>"
            + header.enumerated().map { i, h in "<th\(numeric.contains(i) ? " class=\"num\"" : "")>\(escape(h))</th>" }.joined()
            + "</tr></thead>", "<tbody>"]
        for row in rows {
            parts.append("<tr>" + row.enumerated().map { i, cell in
                "<td\(numeric.contains(i) ? " class=\"num\"" : "")>\(escape(cell))</td>"
            }.joined() + "</tr>")
        }
        parts.append("</tbody></table>")
        return parts.joined(separator: "\n")
    }

    /// Two-column table of names and values.
    static func facts(_ rows: [(String, String)]) -> String {
        "<table class=\"facts\"><tbody>\n"
            + rows.map { "<tr><th>\(escape($0.0))</th><td>\(escape($0.1))</td></tr>" }.joined(separator: "\n")
            + "\n</tbody></table>"
    }
}
