//! What the editor shows about the page rather than a finding: its owners
//! and the approvals publishing it will need (from the same ownership and
//! policy code as the gate), and a rule's `rules --explain` text.

use crate::finding::Finding;
use crate::gate::evaluate::Requirement;
use crate::project::Project;

/// One line for a code lens at the top of the page.
pub fn lens_title(project: &Project, rel: &str) -> String {
    let owners = project.ownership(rel).owners;
    let owners = if owners.is_empty() {
        "Owners: none".to_string()
    } else {
        format!("Owners: {}", owners.join(", "))
    };
    let requirements = project.requirements(rel);
    if requirements.is_empty() {
        return format!("{owners} · Publishing needs no approval");
    }
    let needs: Vec<String> = requirements
        .iter()
        .map(|r| requirement_text(r, &project.ownership(rel).owners))
        .collect();
    format!("{owners} · Publishing needs: {}", needs.join("; "))
}

/// Markdown for a hover at the top of the page.
pub fn hover_markdown(project: &Project, rel: &str) -> String {
    let ownership = project.ownership(rel);
    let mut out = format!("**imprimatur** · `{rel}`\n\n");
    if ownership.owners.is_empty() {
        out.push_str("**Owners:** none in CODEOWNERS\n");
    } else {
        out.push_str(&format!("**Owners:** {}\n", ownership.owners.join(", ")));
        for section in ownership.sections.iter().filter(|s| s.name.is_some()) {
            out.push_str(&format!(
                "- section {}: {}\n",
                section.name.as_deref().unwrap_or_default(),
                section.owners.join(", ")
            ));
        }
    }
    let requirements = project.requirements(rel);
    if requirements.is_empty() {
        out.push_str("\n**Approvals to publish:** none required\n");
    } else {
        out.push_str("\n**Approvals to publish:**\n");
        for r in &requirements {
            out.push_str(&format!("- {}\n", requirement_text(r, &ownership.owners)));
        }
    }
    out
}

/// `legal-signoff: 1 approval from @acme/legal` (`owners` named as the
/// file's owners; the author's own approval noted when it does not count).
fn requirement_text(r: &Requirement, owners: &[String]) -> String {
    let from: Vec<String> = r
        .from
        .iter()
        .map(|f| match f.as_str() {
            "owners" if owners.is_empty() => "the file's owners (none)".to_string(),
            "owners" => format!("the owners ({})", owners.join(", ")),
            _ => f.clone(),
        })
        .collect();
    let plural = if r.required == 1 { "" } else { "s" };
    let mut text = format!(
        "{}: {} approval{plural} from {}",
        r.policy,
        r.required,
        from.join(", ")
    );
    if !r.allow_author {
        text.push_str(" (not the author)");
    }
    text
}

/// Markdown for a hover on findings: each rule's `rules --explain` text.
pub fn explain_findings(project: &Project, findings: &[&Finding]) -> String {
    let mut parts = Vec::new();
    for finding in findings {
        let builtin = crate::builtin_rules::get(&finding.rule);
        let text = match (project.policy.rules.get(&finding.rule), builtin) {
            (Some(rule), _) => crate::rules::explain::explanation(
                rule,
                &crate::rules::explain::origin(rule, project.root()),
            ),
            (None, Some(builtin)) => builtin.explanation(),
            (None, None) => format!(
                "{}  (built-in check, {})\n{}\n",
                finding.rule, finding.level, finding.message
            ),
        };
        parts.push(format!("**{}**\n\n```text\n{}```", finding.message, text));
    }
    parts.join("\n\n---\n\n")
}
