//! `extends: script`: a Tengo script, written inline (`script: |`) or in
//! `StylesPath/config/scripts/NAME.tengo` (`script: NAME.tengo`, where Vale
//! looks), runs over each scope's text, handed in as `scope`; each entry of
//! the `matches` it leaves (`{begin, end}` byte offsets, optional `message`)
//! is an alert. Problems in the script are load warnings located in the
//! file, line and column where they are, and the rule does not run; a run
//! that fails (the step budget, a runtime error) is an error finding.

use super::{Pos, Script, ScriptError, STEP_BUDGET};
use crate::source::policy_files::PolicyFiles;
use crate::vale::definition::{Definition, RuleError};
use crate::vale::message::format_strs;
use crate::vale::Alert;

/// A script file found for a rule: its displayed path and its text.
#[derive(Debug, Clone)]
pub struct ScriptFile {
    pub display: String,
    pub text: String,
}

/// Where script positions are in the file a reader opens.
#[derive(Debug)]
struct Origin {
    file: String,
    /// Lines and columns before the script's first character.
    lines: usize,
    cols: usize,
}

impl Origin {
    fn at(&self, pos: Pos) -> String {
        if pos.line == 0 {
            return self.file.clone();
        }
        format!(
            "{}:{}:{}",
            self.file,
            pos.line + self.lines,
            pos.col + self.cols
        )
    }
}

#[derive(Debug)]
pub struct ScriptRule {
    script: Script,
    origin: Origin,
    budget: u64,
}

/// For `script: NAME.tengo`, the file Vale reads: `config/scripts/NAME.tengo`
/// under the StylesPath that holds the rule's style (`rel` is the rule file,
/// `style` its style directory's name). `None` for an inline script.
pub fn locate(
    files: &dyn PolicyFiles,
    rel: &str,
    style: &str,
    script: Option<&str>,
) -> Option<Result<ScriptFile, String>> {
    let name = script?.trim();
    if !name.ends_with(".tengo") {
        return None;
    }
    let marker = format!("{style}/");
    let styles_path = match rel.rfind(&format!("/{marker}")) {
        Some(i) => &rel[..i],
        None if rel.starts_with(&marker) => "",
        None => rel.rsplit_once('/').map_or("", |(d, _)| d),
    };
    let path = if styles_path.is_empty() {
        format!("config/scripts/{name}")
    } else {
        format!("{styles_path}/config/scripts/{name}")
    };
    let display = files.display(&path);
    Some(match files.read(&path) {
        Some(Ok(text)) => Ok(ScriptFile { display, text }),
        _ => Err(format!("script file {display} not found")),
    })
}

/// Compiles the rule's script. `Ok(None)` (with the problems as warnings)
/// when the script cannot run.
pub fn compile(
    def: &Definition,
    file: Option<Result<ScriptFile, String>>,
    warnings: &mut Vec<String>,
) -> Result<Option<ScriptRule>, RuleError> {
    let (source, origin) = match file {
        Some(Ok(f)) => (
            f.text,
            Origin {
                file: f.display,
                lines: 0,
                cols: 0,
            },
        ),
        Some(Err(e)) => return Err(RuleError::at("script", e)),
        None => {
            let source = def
                .string("script")
                .ok_or_else(|| RuleError::at("extends", "missing the required `script` key"))?;
            let origin = inline_origin(def);
            (source, origin)
        }
    };
    match Script::compile(&source) {
        Ok((script, notes)) => {
            for n in notes {
                warnings.push(format!(
                    "{}: Vale rule `{}`: {}",
                    origin.at(n.pos),
                    def.id,
                    n.message
                ));
            }
            Ok(Some(ScriptRule {
                script,
                origin,
                budget: STEP_BUDGET,
            }))
        }
        Err(problems) => {
            for p in problems {
                warnings.push(format!(
                    "{}: Vale rule `{}` (extends: script) does not run: {}",
                    origin.at(p.pos),
                    def.id,
                    p.message
                ));
            }
            Ok(None)
        }
    }
}

/// An inline `script: |` block starts on the line after the key, indented.
fn inline_origin(def: &Definition) -> Origin {
    let Some(key) = def.key_offset("script") else {
        return Origin {
            file: def.file.clone(),
            lines: 0,
            cols: 0,
        };
    };
    let key_line = def.text[..key].matches('\n').count();
    let key_text = def.text[key..].lines().next().unwrap_or("");
    let block =
        key_text.trim_end().ends_with(['|', '>', '-', '+']) || key_text.trim_end().ends_with("|-");
    if !block {
        return Origin {
            file: def.file.clone(),
            lines: key_line,
            cols: 0,
        };
    }
    let indent = def.text[key..]
        .lines()
        .skip(1)
        .find(|l| !l.trim().is_empty())
        .map_or(0, |l| l.len() - l.trim_start().len());
    Origin {
        file: def.file.clone(),
        lines: key_line + 1,
        cols: indent,
    }
}

impl ScriptRule {
    /// The alerts of one run over `text`, or why the run failed (located).
    pub fn run(&self, text: &str, message: &str) -> Result<Vec<Alert>, String> {
        let matches = self
            .script
            .run(text, self.budget)
            .map_err(|e: ScriptError| {
                format!("script stopped at {}: {}", self.origin.at(e.pos), e.message)
            })?;
        Ok(matches
            .into_iter()
            .map(|m| {
                let found = &text[m.begin..m.end];
                let template = m.message.as_deref().unwrap_or(message);
                Alert {
                    range: m.begin..m.end,
                    message: format_strs(template, &[found]),
                    fix: None,
                }
            })
            .collect())
    }

    /// A smaller budget, for tests of the budget itself.
    pub fn with_budget(mut self, budget: u64) -> ScriptRule {
        self.budget = budget;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::policy_files::DiskFiles;

    fn def(text: &str) -> Definition {
        let map = match crate::yaml::value_from_str(text) {
            Ok(yaml_serde::Value::Mapping(m)) => m,
            other => panic!("{other:?}"),
        };
        Definition {
            id: "S.R".into(),
            map,
            file: "S/R.yml".into(),
            text: text.into(),
            script_file: None,
        }
    }

    #[test]
    fn script_files_come_from_the_styles_path_config_scripts() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a/styles/config/scripts")).unwrap();
        std::fs::write(
            dir.path().join("a/styles/config/scripts/X.tengo"),
            "matches := []",
        )
        .unwrap();
        std::fs::create_dir_all(dir.path().join("config/scripts")).unwrap();
        std::fs::write(dir.path().join("config/scripts/Y.tengo"), "y := 1").unwrap();
        let files = DiskFiles {
            base: dir.path().to_path_buf(),
        };
        let found = locate(&files, "a/styles/S/sub/R.yml", "S", Some("X.tengo"));
        assert_eq!(found.unwrap().unwrap().text, "matches := []");
        // StylesPath `.`: the style directory is at the root.
        let found = locate(&files, "S/R.yml", "S", Some(" Y.tengo "));
        assert_eq!(found.unwrap().unwrap().text, "y := 1");
        let missing = locate(&files, "a/styles/S/R.yml", "S", Some("Z.tengo"));
        assert!(missing
            .unwrap()
            .unwrap_err()
            .contains("config/scripts/Z.tengo not found"));
        // Inline scripts are not looked up.
        assert!(locate(&files, "a/styles/S/R.yml", "S", Some("matches := []")).is_none());
    }

    #[test]
    fn problems_are_located_in_the_yaml_file() {
        let mut warnings = Vec::new();
        let d = def("extends: script\nmessage: x\nscript: |\n    a := 1\n    b := c\n");
        assert!(compile(&d, None, &mut warnings).unwrap().is_none());
        assert_eq!(
            warnings,
            ["S/R.yml:5:10: Vale rule `S.R` (extends: script) does not run: unresolved reference `c`"]
        );
        let mut warnings = Vec::new();
        let d = def("extends: script\nmessage: x\nscript: \"x := y\"\n");
        assert!(compile(&d, None, &mut warnings).unwrap().is_none());
        assert!(warnings[0].starts_with("S/R.yml:3:6: "), "{warnings:?}");
        let err =
            compile(&def("extends: script\nmessage: x\n"), None, &mut Vec::new()).unwrap_err();
        assert!(err.message.contains("`script`"));
    }

    #[test]
    fn alerts_carry_the_formatted_message() {
        let d = def("extends: script\nmessage: x\nscript: |\n  matches := [{begin: 2, end: 5}, {begin: 0, end: 1, message: \"own %s\"}]\n");
        let rule = compile(&d, None, &mut Vec::new()).unwrap().unwrap();
        let alerts = rule.run("a bcd e", "Avoid '%s'.").unwrap();
        assert_eq!(alerts[0].message, "Avoid 'bcd'.");
        assert_eq!(alerts[0].range, 2..5);
        assert_eq!(alerts[1].message, "own a");
        let spin = def("extends: script\nmessage: x\nscript: |\n  for {}\n");
        let rule = compile(&spin, None, &mut Vec::new())
            .unwrap()
            .unwrap()
            .with_budget(100);
        let why = rule.run("", "m").unwrap_err();
        assert_eq!(why, "script stopped at S/R.yml:4:3: the script ran past its budget of 100 steps (an endless loop?)");
    }
}
