/// Escaping for each output format. Every string that comes from data or a user passes through one of
/// these before it reaches output; renderers never splice raw input.
public enum Escaping {
    /// Text safe inside XML/HTML element content and attribute values (either quote style): `& < > " '`
    /// become entities, and characters XML 1.0 forbids (C0 controls other than tab/newline/CR, U+FFFE,
    /// U+FFFF) become U+FFFD, so a hostile name still yields a well-formed document.
    public static func xml(_ s: String) -> String {
        // Most values (coordinates, colours) need nothing: return them without rebuilding.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x26 && $0 != 0x3C && $0 != 0x3E && $0 != 0x22 && $0 != 0x27 }) {
            return s
        }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(u)
            default:
                if u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF || (0x7F...0x9F).contains(u.value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }

    /// Text safe in a Markdown table cell, heading or paragraph: inline Markdown punctuation is
    /// backslash-escaped (with `[` and `]` escaped no link can form, so parentheses stay as they are), a
    /// leading `#`, `+` or `-` cannot start a block, HTML specials become entities (Markdown passes raw HTML
    /// through), `|` cannot end a cell, and line breaks and controls become spaces.
    public static func markdown(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "\\", "`", "*", "_", "[", "]", "|", "~":
                out += "\\"
                out.unicodeScalars.append(u)
            case "#" where out.isEmpty, "+" where out.isEmpty, "-" where out.isEmpty:
                out += "\\"
                out.unicodeScalars.append(u)
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default:
                if isControl(u) { out += " " } else { out.unicodeScalars.append(u) }
            }
        }
        return out
    }

    /// Text safe to print on a terminal: control characters (which could move the cursor or start an
    /// escape sequence) become U+FFFD, and everything on one line.
    public static func terminal(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            if isControl(u) { out += "\u{FFFD}" } else { out.unicodeScalars.append(u) }
        }
        return out
    }

    /// A relative URL path with every byte outside RFC 3986's unreserved set (and `/`) percent-encoded.
    public static func urlPath(_ s: String) -> String {
        let hex = Array("0123456789ABCDEF")
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                out.append("%")
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0xF)])
            }
        }
        return out
    }

    static func isControl(_ u: Unicode.Scalar) -> Bool {
        u.value < 0x20 || (0x7F...0x9F).contains(u.value) || u.value == 0x2028 || u.value == 0x2029
    }
}
