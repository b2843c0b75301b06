//! Approval evidence for the gate.

pub mod trailers;
