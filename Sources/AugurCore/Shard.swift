/// One worker's part of the symbols when several share the work (`--shard K/N`): a symbol belongs
/// to shard `stableHash(name) mod N`, the same on every machine and in every run, so N workers
/// started by a scheduler (a Kubernetes Indexed Job, a Slurm job array) each own a fixed part,
/// and a re-run of shard K redoes exactly the symbols K owns.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// 0-based.
    public let index: Int
    public let count: Int

    public init?(index: Int, count: Int) {
        guard count >= 1, (0..<count).contains(index) else { return nil }
        self.index = index
        self.count = count
    }

    public var description: String { "\(index)/\(count)" }

    /// Why `--shard` could not be read.
    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case malformed(String)
        case noScheduler
        case badEnvironment(String)

        public var description: String {
            switch self {
            case .malformed(let s):
                "--shard must be K/N with 0 ≤ K < N (e.g. 0/4), or auto, not '\(s)'"
            case .noScheduler:
                "--shard auto found no scheduler: set JOB_COMPLETION_INDEX with AUGUR_SHARD_COUNT (a Kubernetes "
                    + "Indexed Job), or run in a Slurm job array (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT)"
            case .badEnvironment(let s): "--shard auto: \(s)"
            }
        }
    }

    /// `K/N`, or `auto`: a Kubernetes Indexed Job's JOB_COMPLETION_INDEX with the Job's completion
    /// count in AUGUR_SHARD_COUNT (the manifest passes it), else a Slurm array's SLURM_ARRAY_TASK_ID of
    /// AUGUR_SHARD_COUNT when that is set, else SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN of
    /// SLURM_ARRAY_TASK_COUNT.
    public static func parse(_ text: String, environment: [String: String]) throws(ParseError) -> Shard {
        if text.lowercased() == "auto" { return try fromEnvironment(environment) }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), let shard = Shard(index: k, count: n) else {
            throw .malformed(text)
        }
        return shard
    }

    static func fromEnvironment(_ env: [String: String]) throws(ParseError) -> Shard {
        if let index = env["JOB_COMPLETION_INDEX"] {
            guard let count = env["AUGUR_SHARD_COUNT"] ?? env["JOB_COMPLETIONS"] else {
                throw .badEnvironment("JOB_COMPLETION_INDEX is set but not AUGUR_SHARD_COUNT (the Job's completions)")
            }
            guard let k = Int(index), let n = Int(count), let shard = Shard(index: k, count: n) else {
                throw .badEnvironment("JOB_COMPLETION_INDEX=\(index) of AUGUR_SHARD_COUNT=\(count) is not a shard")
            }
            return shard
        }
        if let task = env["SLURM_ARRAY_TASK_ID"] {
            // With AUGUR_SHARD_COUNT the task id is the shard itself, so one failed shard re-runs alone
            // (`sbatch --array=2 …`: a one-task array whose count and first task say nothing of the whole).
            if let count = env["AUGUR_SHARD_COUNT"] {
                guard let k = Int(task), let n = Int(count), let shard = Shard(index: k, count: n) else {
                    throw .badEnvironment("SLURM_ARRAY_TASK_ID=\(task) of AUGUR_SHARD_COUNT=\(count) is not a shard")
                }
                return shard
            }
            guard let count = env["SLURM_ARRAY_TASK_COUNT"], let id = Int(task), let n = Int(count) else {
                throw .badEnvironment("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is missing or not a number")
            }
            let first = env["SLURM_ARRAY_TASK_MIN"].flatMap(Int.init) ?? 0
            guard let shard = Shard(index: id - first, count: n) else {
                throw .badEnvironment("task \(id) (first \(first)) of \(n) is not a shard; use a contiguous array such as --array=0-\(n - 1)")
            }
            return shard
        }
        throw .noScheduler
    }

    /// FNV-1a (64 bit) of the upper-cased name: symbols match without regard to case, so the two
    /// spellings of one symbol land in one shard.
    public static func stableHash(_ symbol: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in symbol.uppercased().utf8 {
            h ^= UInt64(byte)
            h &*= 0x0000_0100_0000_01B3
        }
        return h
    }

    public func owns(_ symbol: String) -> Bool {
        Int(Shard.stableHash(symbol) % UInt64(count)) == index
    }
}
