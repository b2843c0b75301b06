//! Approval evidence for the gate.

pub mod signature;
pub mod trailers;
