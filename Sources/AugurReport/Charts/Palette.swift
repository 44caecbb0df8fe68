import AugurCore

/// The Okabe–Ito palette: eight colours that stay distinct for the common forms of colour blindness.
/// Every chart takes its colours from here, so a model has the same colour everywhere in a report.
public enum Palette {
    public static let black = "#000000"
    public static let orange = "#E69F00"
    public static let skyBlue = "#56B4E9"
    public static let bluishGreen = "#009E73"
    public static let yellow = "#F0E442"
    public static let blue = "#0072B2"
    public static let vermillion = "#D55E00"
    public static let reddishPurple = "#CC79A7"

    /// Axis lines, tick labels and gridlines: neutral greys, not data colours.
    static let axis = "#333333"
    static let grid = "#e3e3e3"
    static let muted = "#666666"

    /// Beyond Okabe–Ito's seven: Paul Tol's indigo, wine and olive and a mid grey, still apart from the
    /// others for the common colour-vision deficiencies, so a baseline and eleven models (every model a
    /// default backtest runs, auto included) get their own colours before any repeats.
    public static let indigo = "#332288"
    public static let wine = "#882255"
    public static let olive = "#999933"
    public static let grey = "#999999"

    /// Colours for models in order of first appearance; the baseline is always black. Yellow comes after
    /// the strong colours: it is the hardest to see on white.
    private static let modelOrder = [vermillion, blue, bluishGreen, orange, reddishPurple, skyBlue, yellow, indigo, grey,
                                     wine, olive]

    /// A colour per model, deterministic for the same list: `baseline` black, the others in palette order
    /// (cycling after eleven).
    public static func modelColors(_ models: [ModelKind], baseline: ModelKind) -> [ModelKind: String] {
        var colors: [ModelKind: String] = [:]
        var next = 0
        for model in models where colors[model] == nil {
            if model == baseline {
                colors[model] = black
            } else {
                colors[model] = modelOrder[next % modelOrder.count]
                next += 1
            }
        }
        return colors
    }
}
