/// Where in an input file something is: shown as `file:line` or `file:line, column NAME`.
public struct SourceLocation: Hashable, Sendable, Codable, CustomStringConvertible {
    public var file: String
    /// 1-based physical line number, counting the header.
    public var line: Int
    /// The column's header name, when the problem is in one field.
    public var column: String?

    public init(file: String, line: Int, column: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String {
        if let column { return "\(file):\(line), column \(column)" }
        return "\(file):\(line)"
    }
}
