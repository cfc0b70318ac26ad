#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| companion_fuzzing::council_toml(data));
