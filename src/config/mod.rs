//! `imprimatur.yml`: the governance config. Every key of DESIGN.md is parsed
//! and validated here, including those only the gate or the report act on,
//! so a typo fails at once with the file, line and column.

mod load;
mod model;
mod validate;

pub use load::{find_config_file, find_upward, load, load_from_text, LoadedConfig, CONFIG_NAMES};
pub use model::*;
