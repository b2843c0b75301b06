//! A page: document model, built-in packs, a Vale style, suppressions; span, prefilter and fix invariants.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| imprimatur::fuzzing::check(data));
