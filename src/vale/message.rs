//! Vale's messages are Go format strings filled by `fmt.Sprintf`: `%s`,
//! `%d`, `%v`, `%q`, explicit indexes (`%[2]s`) and `%%`. This is the subset
//! rule messages use, with Go's visible markers for what does not fit
//! (`%!s(MISSING)`, `%!d(string=x)`), so a message reads exactly as Vale
//! prints it.

/// A value substituted into a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg<'a> {
    Str(&'a str),
    Int(i64),
}

/// `format` with `args` substituted as Go's `Sprintf` would; unused
/// arguments are dropped silently (Vale's `CondSprintf`).
pub fn sprintf(format: &str, args: &[Arg]) -> String {
    let mut out = String::with_capacity(format.len() + 16);
    let mut next = 0usize;
    let mut chars = format.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        // Flags and width are read and applied to the padding only.
        let mut flags = String::new();
        while let Some(&(_, f)) = chars.peek() {
            if "+-# 0".contains(f) {
                flags.push(f);
                chars.next();
            } else {
                break;
            }
        }
        let mut index: Option<usize> = None;
        if chars.peek().is_some_and(|&(_, c)| c == '[') {
            chars.next();
            let mut digits = String::new();
            while let Some(&(_, d)) = chars.peek() {
                chars.next();
                if d == ']' {
                    break;
                }
                digits.push(d);
            }
            index = digits
                .parse::<usize>()
                .ok()
                .filter(|n| *n >= 1)
                .map(|n| n - 1);
        }
        let mut width = String::new();
        while let Some(&(_, d)) = chars.peek() {
            if d.is_ascii_digit() {
                width.push(d);
                chars.next();
            } else {
                break;
            }
        }
        let Some((_, verb)) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let at = index.unwrap_or(next);
        next = at + 1;
        let rendered = match args.get(at) {
            None => format!("%!{verb}(MISSING)"),
            Some(arg) => render(verb, *arg),
        };
        let width: usize = width.parse().unwrap_or(0);
        let pad = width.saturating_sub(rendered.chars().count());
        if flags.contains('-') {
            out.push_str(&rendered);
            out.extend(std::iter::repeat_n(' ', pad));
        } else {
            out.extend(std::iter::repeat_n(' ', pad));
            out.push_str(&rendered);
        }
    }
    out
}

fn render(verb: char, arg: Arg) -> String {
    match (verb, arg) {
        ('s' | 'v', Arg::Str(s)) => s.to_string(),
        ('q', Arg::Str(s)) => format!("{s:?}"),
        ('d' | 'v', Arg::Int(n)) => n.to_string(),
        ('s', Arg::Int(n)) => format!("%!s(int={n})"),
        (v, Arg::Str(s)) => format!("%!{v}(string={s})"),
        (v, Arg::Int(n)) => format!("%!{v}(int={n})"),
    }
}

/// `sprintf` with string arguments only.
pub fn format_strs(format: &str, subs: &[&str]) -> String {
    let args: Vec<Arg> = subs.iter().map(|s| Arg::Str(s)).collect();
    sprintf(format, &args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_verbs() {
        assert_eq!(
            format_strs("Use '%s' instead of '%s'.", &["a", "b"]),
            "Use 'a' instead of 'b'."
        );
        assert_eq!(format_strs("%[2]s then %[1]s", &["a", "b"]), "b then a");
        assert_eq!(format_strs("100%% %s", &["sure"]), "100% sure");
        assert_eq!(
            format_strs("'%s' and '%s'", &["x"]),
            "'x' and '%!s(MISSING)'"
        );
        assert_eq!(format_strs("no verbs", &["x"]), "no verbs");
        assert_eq!(sprintf("short (%d)", &[Arg::Int(3)]), "short (3)");
        assert_eq!(format_strs("(%d)", &["x"]), "(%!d(string=x))");
    }
}
