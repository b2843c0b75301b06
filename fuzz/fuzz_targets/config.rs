//! imprimatur.yml and a rule pack.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| imprimatur::fuzzing::config(data));
