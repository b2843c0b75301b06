//! The built-in packs of `rules/`, compiled into the binary.

/// (name, YAML) of every built-in pack.
pub const PACKS: &[(&str, &str)] = &[
    ("claims", include_str!("../../rules/claims.yml")),
    ("brand", include_str!("../../rules/brand.yml")),
    ("privacy", include_str!("../../rules/privacy.yml")),
    ("structure", include_str!("../../rules/structure.yml")),
];

pub fn get(name: &str) -> Option<&'static str> {
    PACKS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

pub fn names() -> Vec<&'static str> {
    PACKS.iter().map(|(n, _)| *n).collect()
}
