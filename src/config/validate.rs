//! Checks that need the whole config: names that must resolve, globs that
//! must compile. Problems are located in the text by `load`.

use super::load::Problem;
use super::model::Config;
use crate::yaml::closest;

pub fn validate(config: &Config) -> Result<(), Problem> {
    validate_globs(
        "content",
        config.content.include.iter().chain(&config.content.exclude),
    )?;
    validate_globs(
        "front_matter",
        config
            .front_matter
            .paths
            .iter()
            .chain(&config.front_matter.exclude_paths),
    )?;
    for block in &config.overrides {
        validate_globs("overrides", block.paths.iter().chain(&block.exclude_paths))?;
        validate_globs("overrides", block.rules.keys())?;
    }
    validate_teams(config)?;
    validate_governance(config)?;
    validate_policies(config)?;
    if config.dates.max_age_days == 0 {
        return Err(problem(
            "dates",
            "max_age_days",
            "dates.max_age_days must be at least 1".into(),
            None,
        ));
    }
    Ok(())
}

fn problem(section: &'static str, needle: &str, message: String, help: Option<String>) -> Problem {
    Problem {
        section,
        needle: needle.to_string(),
        message,
        help,
    }
}

fn validate_globs<'a>(
    section: &'static str,
    globs: impl IntoIterator<Item = &'a String>,
) -> Result<(), Problem> {
    for glob in globs {
        if crate::source::repo_path::glob_climbs(glob) {
            return Err(problem(
                section,
                glob,
                format!("glob `{glob}` has a `..` part and can never match"),
                Some(
                    "globs are relative to the project root (the directory of imprimatur.yml)"
                        .into(),
                ),
            ));
        }
        if let Err(e) = globset::Glob::new(glob) {
            return Err(problem(
                section,
                glob,
                format!("invalid glob `{glob}`: {e}"),
                None,
            ));
        }
    }
    Ok(())
}

fn known_names(config: &Config) -> Vec<String> {
    config
        .people
        .keys()
        .chain(config.teams.keys())
        .cloned()
        .collect()
}

fn validate_teams(config: &Config) -> Result<(), Problem> {
    let people: Vec<String> = config.people.keys().cloned().collect();
    for (team, members) in &config.teams {
        for member in members {
            if config.person_for(member).is_none() {
                return Err(problem(
                    "teams",
                    member,
                    format!("team `{team}` names `{member}`, who is not in `people`"),
                    Some(suggest(member, &people, "add them to `people`")),
                ));
            }
        }
    }
    Ok(())
}

fn validate_governance(config: &Config) -> Result<(), Problem> {
    for name in &config.approvals.governance {
        if !config.is_team(name) && config.person_for(name).is_none() {
            return Err(problem(
                "approvals",
                name,
                format!(
                    "approvals.governance names `{name}`, which is neither a team nor a person"
                ),
                Some(suggest(
                    name,
                    &known_names(config),
                    "define it under `teams` or `people`",
                )),
            ));
        }
    }
    Ok(())
}

fn validate_policies(config: &Config) -> Result<(), Problem> {
    let mut seen = std::collections::HashSet::new();
    for policy in &config.approvals.policies {
        if !seen.insert(policy.name.as_str()) {
            return Err(problem(
                "approvals",
                &format!("name: {}", policy.name),
                format!("two approval policies are named `{}`", policy.name),
                None,
            ));
        }
        if policy.require == 0 {
            return Err(problem(
                "approvals",
                "require: 0",
                format!(
                    "policy `{}` requires 0 approvals; remove it or require at least 1",
                    policy.name
                ),
                None,
            ));
        }
        if policy.from.is_empty() {
            return Err(problem(
                "approvals",
                &policy.name,
                format!("policy `{}` has an empty `from`", policy.name),
                Some("name teams, people, or `owners`".into()),
            ));
        }
        validate_globs("approvals", &policy.paths)?;
        for source in &policy.from {
            let known =
                source == "owners" || config.is_team(source) || config.person_for(source).is_some();
            if !known {
                let mut names = known_names(config);
                names.push("owners".into());
                return Err(problem(
                    "approvals",
                    source,
                    format!("policy `{}` takes approvals from `{source}`, which is neither a team, a person nor `owners`", policy.name),
                    Some(suggest(source, &names, "define it under `teams` or `people`")),
                ));
            }
        }
    }
    Ok(())
}

fn suggest(name: &str, candidates: &[String], otherwise: &str) -> String {
    match closest(name, candidates.iter().map(String::as_str)) {
        Some(c) => format!("did you mean `{c}`?"),
        None => otherwise.to_string(),
    }
}
