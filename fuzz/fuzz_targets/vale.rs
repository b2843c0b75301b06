//! A Vale setup: .vale.ini (before the first NUL byte) and one rule file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| imprimatur::fuzzing::vale(data));
