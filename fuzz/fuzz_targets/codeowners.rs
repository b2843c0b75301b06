//! A CODEOWNERS file in both dialects: indexed lookup against a plain scan.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| imprimatur::fuzzing::codeowners(data));
