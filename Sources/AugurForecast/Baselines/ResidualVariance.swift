/// σ² from in-sample one-step residuals, as FPP3 §5.5 defines it: Σe² / (T − K − M), where the residuals
/// passed are the T − M that exist and K is the number of estimated parameters. Dividing by the degrees
/// of freedom rather than T keeps short histories from producing intervals that are too narrow.
func residualVariance(_ residuals: [Double], estimatedParameters k: Int) -> Double {
    let dof = residuals.count - k
    guard dof > 0 else { return 0 }
    return residuals.reduce(0) { $0 + $1 * $1 } / Double(dof)
}

/// Throws unless `history` has at least `needed` values.
func requireCount(_ history: TimeSeriesHistory, _ needed: Int, model: String) throws(ForecastError) {
    guard history.count >= needed else { throw .insufficientData(model: model, needed: needed, got: history.count) }
}
