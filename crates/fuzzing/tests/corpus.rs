//! Every committed fuzz corpus file, replayed through its target on stable: what cargo-fuzz
//! found once (and minimised into `fuzz/corpus/`) must stay fixed.

use std::path::PathBuf;

fn corpus(target: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn every_fuzz_targets_corpus_replays_clean() {
    for (name, target) in companion_fuzzing::TARGETS {
        let files = corpus(name);
        assert!(files.len() >= 3, "{name} has a corpus ({} files)", files.len());
        for file in files {
            let data = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let replay = std::panic::catch_unwind(|| target(&data));
            assert!(replay.is_ok(), "{name} fails on {}", file.display());
        }
    }
}
