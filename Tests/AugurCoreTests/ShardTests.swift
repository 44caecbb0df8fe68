// Shards: parsing `--shard`, the schedulers' environments, and the stable hash that assigns symbols.

import Testing
@testable import AugurCore

@Test func theStableHashIsFNV1aOfTheUpperCasedName() {
    // Reference values from FNV-1a 64 computed independently (Python); "a" is the published test vector.
    #expect(Shard.stableHash("") == 0xcbf2_9ce4_8422_2325)
    #expect(Shard.stableHash("FOOBAR") == 0xed91_fadf_a4bb_f528)
    #expect(Shard.stableHash("foobar") == Shard.stableHash("FOOBAR"))
    #expect(Shard.stableHash("SP500_DAILY") == 0x1b29_e55e_5c52_153f)
}

@Test func everySymbolBelongsToExactlyOneShardAndTheyAreBalanced() throws {
    let names = (0..<4000).map { "SYM\($0).US" }
    for n in 1...8 {
        let shards = (0..<n).map { Shard(index: $0, count: n)! }
        for name in names { #expect(shards.filter { $0.owns(name) }.count == 1) }
        let sizes = shards.map { s in names.filter { s.owns($0) }.count }
        let mean = Double(names.count) / Double(n)
        #expect(sizes.allSatisfy { abs(Double($0) - mean) < 0.1 * mean }, "n \(n): \(sizes)")
    }
}

@Test func shardsParseFromTheFlagAndTheSchedulers() throws {
    #expect(try Shard.parse("2/4", environment: [:]) == Shard(index: 2, count: 4))
    for bad in ["4/4", "-1/4", "1/0", "1", "a/b", "1/2/3"] {
        #expect(throws: Shard.ParseError.malformed(bad)) { try Shard.parse(bad, environment: [:]) }
    }
    #expect(throws: Shard.ParseError.noScheduler) { try Shard.parse("auto", environment: [:]) }
    // A Kubernetes Indexed Job: the index, and the completions the manifest passes on.
    #expect(try Shard.parse("auto", environment: ["JOB_COMPLETION_INDEX": "3", "AUGUR_SHARD_COUNT": "8"])
            == Shard(index: 3, count: 8))
    #expect(throws: Shard.ParseError.self) { try Shard.parse("auto", environment: ["JOB_COMPLETION_INDEX": "3"]) }
    #expect(throws: Shard.ParseError.self) {
        try Shard.parse("auto", environment: ["JOB_COMPLETION_INDEX": "8", "AUGUR_SHARD_COUNT": "8"])
    }
    // A Slurm job array, 0-based or not.
    #expect(try Shard.parse("AUTO", environment: ["SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_COUNT": "4"])
            == Shard(index: 0, count: 4))
    #expect(try Shard.parse("auto", environment: ["SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_COUNT": "4",
                                                  "SLURM_ARRAY_TASK_MIN": "1"]) == Shard(index: 3, count: 4))
    #expect(throws: Shard.ParseError.self) {
        try Shard.parse("auto", environment: ["SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_COUNT": "4"])
    }
    // A re-run of one shard (`sbatch --array=2`): with AUGUR_SHARD_COUNT the task id is the shard,
    // whatever the one-task array's own count and first task say.
    #expect(try Shard.parse("auto", environment: ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "1",
                                                  "SLURM_ARRAY_TASK_MIN": "2", "AUGUR_SHARD_COUNT": "4"]) == Shard(index: 2, count: 4))
    #expect(throws: Shard.ParseError.self) {
        try Shard.parse("auto", environment: ["SLURM_ARRAY_TASK_ID": "4", "AUGUR_SHARD_COUNT": "4"])
    }
}
