#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| companion_fuzzing::search_query(data));
