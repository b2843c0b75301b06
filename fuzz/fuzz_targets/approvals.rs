//! Commit-message trailers, allowed_signers, reviews files.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| imprimatur::fuzzing::approvals(data));
