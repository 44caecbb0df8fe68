/// A fingerprint of a series' bars up to a date: date, close, adjusted close and volume of each, in
/// order. A stored recurrent state carries the digest of the bars it was advanced over, so a bar
/// corrected or inserted at or before the state's date is noticed and the state replayed.
public enum HistoryDigest {
    public static func of(_ bars: [Bar], through last: CivilDate) -> String {
        var h = SHA256()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(28 * 256)
        for bar in bars where bar.date <= last {
            append(&buffer, UInt64(UInt32(bitPattern: bar.date.daysSinceEpoch)))
            append(&buffer, bar.close.bitPattern)
            append(&buffer, (bar.adjClose ?? .nan).bitPattern)
            append(&buffer, (bar.volume ?? .nan).bitPattern)
            if buffer.count >= 32 * 255 { h.update(buffer); buffer.removeAll(keepingCapacity: true) }
        }
        h.update(buffer)
        return h.finalizeHex()
    }

    private static func append(_ buffer: inout [UInt8], _ v: UInt64) {
        for i in 0..<8 { buffer.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
    }
}
