//! `links`: checks on links and images. `alt_text: true` requires every
//! image to have alt text (screen readers read it; search engines index it).
//!
//! ```yaml
//! - id: structure/image-alt
//!   kind: links
//!   level: warning
//!   alt_text: true
//! ```

use super::spec::RuleSpec;
use super::Rule;
use crate::document::Document;
use crate::finding::Finding;

#[derive(Debug)]
pub struct Links {
    pub alt_text: bool,
}

pub fn compile(spec: &RuleSpec) -> Result<Links, String> {
    let alt_text = spec.alt_text.unwrap_or(false);
    if !alt_text {
        return Err("a links rule needs a check to run (`alt_text: true`)".into());
    }
    Ok(Links { alt_text })
}

impl Links {
    pub fn check(&self, rule: &Rule, doc: &Document) -> Vec<Finding> {
        if !self.alt_text {
            return Vec::new();
        }
        doc.references
            .iter()
            .filter(|r| r.is_image && r.text.trim().is_empty())
            .map(|r| {
                let found = doc.text[r.range.clone()].to_string();
                let message = rule.render("Image '{found}' has no alt text.", &found, "");
                rule.finding(doc, r.range.clone(), found, message, None)
            })
            .collect()
    }
}
