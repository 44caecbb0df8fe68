import AugurCore

/// A statistical model that chooses its own form (AutoETS, AutoARIMA), fitted to the whole history: the
/// form and parameters it chose and its next-period forecast.
public struct FittedModel: Sendable, Equatable {
    public var kind: ModelKind
    /// E.g. `ETS(M,N,M) α=0.365 γ=0.002, AICc 1458.1`.
    public var form: String
    public var next: ForecastStep?

    public init(kind: ModelKind, form: String, next: ForecastStep?) {
        self.kind = kind
        self.form = form
        self.next = next
    }
}
