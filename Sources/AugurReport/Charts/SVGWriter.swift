/// Builds an SVG document as text. Element and attribute names come from this module's code; every
/// attribute value and text node is escaped here, so chart code cannot forget to.
struct SVGWriter {
    private(set) var text = ""
    private var openElements: [String] = []

    /// Opens `<svg>` with a `viewBox` (so it scales), `role="img"`, and the `<title>`/`<desc>` screen readers
    /// announce; ids start with `idPrefix` so several charts can share one HTML page.
    init(width: Double, height: Double, title: String, description: String, idPrefix: String) {
        text.reserveCapacity(16_384)
        open("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("viewBox", "0 0 \(c(width)) \(c(height))"),
                     ("width", c(width)), ("height", c(height)), ("role", "img"),
                     ("aria-labelledby", "\(idPrefix)-title \(idPrefix)-desc"),
                     ("font-family", "DejaVu Sans, Helvetica, Arial, sans-serif"), ("font-size", "12")])
        element("title", [("id", "\(idPrefix)-title")], text: title)
        element("desc", [("id", "\(idPrefix)-desc")], text: description)
        element("rect", [("x", "0"), ("y", "0"), ("width", c(width)), ("height", c(height)), ("fill", "#ffffff")])
    }

    mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        text += "<" + name
        appendAttributes(attributes)
        text += ">\n"
        openElements.append(name)
    }

    mutating func close() {
        guard let name = openElements.popLast() else { return }
        text += "</" + name + ">\n"
    }

    /// A leaf element, with escaped text content when given.
    mutating func element(_ name: String, _ attributes: [(String, String)], text content: String? = nil) {
        text += "<" + name
        appendAttributes(attributes)
        if let content {
            text += ">" + Escaping.xml(content) + "</" + name + ">\n"
        } else {
            text += "/>\n"
        }
    }

    /// Closes everything still open and returns the document.
    mutating func finish() -> String {
        while !openElements.isEmpty { close() }
        return text
    }

    private mutating func appendAttributes(_ attributes: [(String, String)]) {
        for (name, value) in attributes {
            text += " " + name + "=\"" + Escaping.xml(value) + "\""
        }
    }
}

/// An SVG coordinate as text.
@inline(__always) func c(_ x: Double) -> String { NumberFormat.coordinate(x) }

/// The `points` attribute of a polyline or polygon through `points`.
func pointList(_ points: [(x: Double, y: Double)]) -> String {
    points.map { c($0.x) + "," + c($0.y) }.joined(separator: " ")
}

/// Path data through `points`, starting a new piece after any non-finite point.
func pathData(_ points: [(x: Double, y: Double)]) -> String {
    var d = ""
    var penDown = false
    for p in points {
        guard p.x.isFinite, p.y.isFinite else { penDown = false; continue }
        d += (d.isEmpty ? "" : " ") + (penDown ? "L" : "M") + c(p.x) + " " + c(p.y)
        penDown = true
    }
    return d
}
