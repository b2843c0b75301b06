//! The scorecard as JSON: every figure, keys in a fixed order (the order of
//! the model's fields), for dashboards.

use super::Scorecard;

pub fn render(card: &Scorecard) -> String {
    let mut text = serde_json::to_string_pretty(card).expect("the scorecard serializes");
    text.push('\n');
    text
}
