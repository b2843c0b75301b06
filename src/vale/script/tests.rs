//! The language, feature by feature, and the library, function by function:
//! each script leaves its answer in `out`, compared with what Tengo prints.

use super::eval::{Interp, Scope};
use super::parser::parse;
use super::value::Value;
use super::{Match, Script, STEP_BUDGET};

/// Runs `src` with `scope` = `text` and returns `out` as Tengo prints it
/// (strings bare, collections with quoted strings).
fn out_with(src: &str, text: &str) -> String {
    let (script, _) = Script::compile(src).unwrap_or_else(|e| panic!("{src}: {e:?}"));
    let globals = Scope::new(None);
    globals.define(&"scope".into(), Value::str(text));
    let mut interp = Interp::new(STEP_BUDGET);
    interp
        .run(&script.body, &globals)
        .unwrap_or_else(|e| panic!("{src}: {e}"));
    let v = globals.lookup("out").expect("the script sets `out`");
    let v = v.borrow().clone();
    v.display()
}

fn out(src: &str) -> String {
    out_with(src, "")
}

/// The runtime error of `src`, as `line:col: message`.
fn fails(src: &str) -> String {
    let (script, _) = Script::compile(src).unwrap_or_else(|e| panic!("{src}: {e:?}"));
    script.run("", STEP_BUDGET).unwrap_err().to_string()
}

fn text_out(expr: &str) -> String {
    out(&format!("text := import(\"text\")\nout := {expr}"))
}

#[test]
fn values_and_operators() {
    assert_eq!(out("out := 7 / 2"), "3");
    assert_eq!(out("out := -7 % 3"), "-1");
    assert_eq!(out("out := 7 / 2.0"), "3.5");
    assert_eq!(out("out := 1 << 4 | 1"), "17");
    assert_eq!(out("out := 6 &^ 3"), "4");
    assert_eq!(out("out := ^0"), "-1");
    assert_eq!(out("out := \"a\" + 1 + 2.5"), "a12.5");
    assert_eq!(out("out := 'a' + 1"), "b");
    assert_eq!(out("out := \"abc\" < \"abd\""), "true");
    assert_eq!(out("out := 1 == 1.0"), "false");
    assert_eq!(out("out := [1, 2] + [3]"), "[1, 2, 3]");
    assert_eq!(
        out("out := 9223372036854775807 + 1"),
        "-9223372036854775808"
    );
    assert_eq!(out("out := 0x10 + 010 + 1e2"), "124");
    assert_eq!(
        out("out := !0 && !\"\" && ![] && !{} && !undefined"),
        "true"
    );
    assert_eq!(out("out := 0 || \"x\""), "x");
    assert_eq!(out("out := 1 > 2 ? \"a\" : 3 > 2 ? \"b\" : \"c\""), "b");
    assert_eq!(out("out := `raw\\n` + \"\\t|\""), "raw\\n\t|");
    assert_eq!(out("out := \"é\"[0]"), "é");
}

#[test]
fn assignment_forms() {
    assert_eq!(
        out("out := 1\nout += 2\nout *= 3\nout -= 1\nout /= 2\nout %= 3"),
        "1"
    );
    assert_eq!(out("out := 5\nout++\nout++\nout--"), "6");
    assert_eq!(
        out("out := 12\nout &= 10\nout |= 1\nout ^= 2\nout <<= 1\nout >>= 2"),
        "5"
    );
    assert_eq!(out("out := \"a\"\nout += \"b\""), "ab");
    assert_eq!(out("out := [1, 2]\nout[0] = 5\nout[1] += 1"), "[5, 3]");
    assert_eq!(
        out("out := {}\nout.a = 1\nout[\"b\"] = 2\nout.a++"),
        "{a: 2, b: 2}"
    );
    // Arrays and maps are shared by reference; append makes a new array.
    assert_eq!(
        out("a := [1]\nb := a\nb[0] = 9\nc := append(a, 2)\nc[0] = 0\nout := a"),
        "[9]"
    );
}

#[test]
fn control_flow() {
    assert_eq!(
        out("out := 0\nfor i := 0; i < 5; i++ { if i == 3 { continue }; out += i }"),
        "7"
    );
    assert_eq!(out("out := 0\nfor out < 10 { out += 3 }"), "12");
    assert_eq!(out("out := 0\nfor { out++; if out == 4 { break } }"), "4");
    assert_eq!(
        out("out := \"\"\nfor k, v in {b: 2, a: 1} { out += k + string(v) }"),
        "a1b2"
    );
    assert_eq!(out("out := 0\nfor i, v in [10, 20] { out += i * v }"), "20");
    assert_eq!(
        out("out := []\nfor c in \"hé\" { out = append(out, c) }"),
        "[h, é]"
    );
    assert_eq!(out("out := 0\nfor i, c in \"hé!\" { out = i }"), "2");
    assert_eq!(
        out("x := 5\nout := \"\"\nif x > 10 { out = \"big\" } else if x > 3 { out = \"mid\" } else { out = \"small\" }"),
        "mid"
    );
    assert_eq!(out("out := 0\nif y := 4; y > 3 { out = y }"), "4");
    assert_eq!(out("out := 0\nfor i := 0; i < 3; i++ { for j := 0; j < 3; j++ { if j == 1 { break }; out++ } }"), "3");
}

#[test]
fn functions_and_closures() {
    assert_eq!(
        out("add := func(a, b) { return a + b }\nout := add(2, 3)"),
        "5"
    );
    assert_eq!(
        out("counter := func() { n := 0; return func() { n++; return n } }\nc := counter()\nc()\nc()\nout := c()"),
        "3"
    );
    assert_eq!(
        out("fib := func(n) { if n < 2 { return n }; return fib(n-1) + fib(n-2) }\nout := fib(15)"),
        "610"
    );
    assert_eq!(
        out("f := func(a, ...rest) { return len(rest) + a }\nout := f(10, 1, 2, 3)"),
        "13"
    );
    assert_eq!(
        out("f := func(a, b) { return a * b }\nout := f([6, 7]...)"),
        "42"
    );
    assert_eq!(out("f := func() { }\nout := is_undefined(f())"), "true");
    assert_eq!(out("fs := []\nfor i := 0; i < 3; i++ { j := i; fs = append(fs, func() { return j }) }\nout := fs[0]() + fs[2]()"), "2");
}

#[test]
fn collections_indexing_and_slices() {
    assert_eq!(out("a := [1, 2, 3, 4]\nout := a[1:3]"), "[2, 3]");
    assert_eq!(out("a := [1, 2, 3, 4]\nout := a[:2] + a[3:]"), "[1, 2, 4]");
    assert_eq!(out("out := \"hello\"[1:3]"), "el");
    assert_eq!(out("a := [1, 2]\nout := a[:len(a)-1]"), "[1]");
    assert_eq!(
        out("m := {a: {b: [1, {c: \"d\"}]}}\nout := m.a.b[1].c"),
        "d"
    );
    assert_eq!(
        out("m := {}\nout := is_undefined(m.missing) && is_undefined(m.x.y.z)"),
        "true"
    );
    assert_eq!(
        out("out := [\"x\", 1.5, true, undefined]"),
        "[\"x\", 1.5, true, <undefined>]"
    );
    assert_eq!(out("out := {\"a b\": 1, c: [2]}"), "{a b: 1, c: [2]}");
    assert_eq!(out("m := {a: 1}\ndelete(m, \"a\")\nout := len(m)"), "0");
    assert_eq!(
        out("a := [1, 2, 3, 4]\nr := splice(a, 1, 2, \"x\")\nout := [a, r]"),
        "[[1, \"x\", 4], [2, 3]]"
    );
    assert_eq!(
        out("a := [[1]]\nb := copy(a)\nb[0][0] = 2\nout := a"),
        "[[1]]"
    );
}

#[test]
fn immutable_and_errors() {
    assert_eq!(
        out("a := immutable([1, 2])\nout := type_name(a) + \" \" + string(a[1])"),
        "immutable-array 2"
    );
    assert!(fails("a := immutable({x: 1})\na.x = 2").contains("immutable-map cannot be changed"));
    assert_eq!(
        out("e := error(\"bad\")\nout := [is_error(e), e.value, !e]"),
        "[true, \"bad\", true]"
    );
    assert_eq!(out("e := error({code: 3})\nout := e.value.code"), "3");
    assert_eq!(out("out := string(error(\"x\"))"), "error: \"x\"");
}

#[test]
fn builtins_convert_and_test() {
    assert_eq!(
        out("out := [len(\"héllo\"), len([1]), len({a: 1})]"),
        "[6, 1, 1]"
    );
    assert_eq!(
        out("out := [int(\"42\"), int(3.9), int(\"x\", -1), int('a'), is_undefined(int(\"x\"))]"),
        "[42, 3, -1, 97, true]"
    );
    assert_eq!(out("out := [float(2), float(\"1.5\"), string(12), string(1.5), bool(0), bool(\"a\"), char(65)]"), "[2, 1.5, \"12\", \"1.5\", false, true, A]");
    assert_eq!(
        out("out := [is_int(1), is_float(1.0), is_string(\"\"), is_bool(true), is_char('c'), is_array([]), is_map({}), is_immutable_array(immutable([])), is_immutable_map(immutable({})), is_iterable(\"s\"), is_function(func() {}), is_callable(len), is_undefined(undefined), is_error(1)]"),
        "[true, true, true, true, true, true, true, true, true, true, true, true, true, false]"
    );
    assert_eq!(
        out("out := [type_name(1), type_name(\"\"), type_name(undefined), type_name(len)]"),
        "[\"int\", \"string\", \"undefined\", \"user-function\"]"
    );
    assert_eq!(
        out("out := range(0, 5, 2) + range(3, 0)"),
        "[0, 2, 4, 3, 2, 1]"
    );
    assert_eq!(out("out := format(\"%s-%d\", \"a\", 1)"), "a-1");
    // A builtin's name may be redefined.
    assert_eq!(out("len := func(x) { return 0 }\nout := len([1])"), "0");
}

#[test]
fn runtime_errors_are_located() {
    assert_eq!(
        fails("a := [1]\nx := a[3]"),
        "2:7: index 3 out of bounds (length 1)"
    );
    assert_eq!(fails("x := 1 / 0"), "1:8: division by zero");
    assert_eq!(
        fails("x := 1 + \"a\""),
        "1:8: invalid operation: int + string"
    );
    assert_eq!(
        fails("f := func(a) {}\nf(1, 2)"),
        "2:2: wrong number of arguments: want=1, got=2"
    );
    assert_eq!(fails("x := 1\nx()"), "2:2: int is not callable");
    assert_eq!(
        fails("t := import(\"text\")\nr := t.re_compile(\"(\")\nr.match(\"a\")"),
        "3:2: cannot read `match` of an error value (an error has only `.value`): error: \"error parsing regexp: unclosed group\""
    );
    assert_eq!(fails("for x in 5 {}"), "1:10: int is not iterable");
    assert_eq!(out("out := 0\nfor x in undefined { out++ }"), "0");
    assert_eq!(
        fails("x := len(1, 2)"),
        "1:9: wrong number of arguments: want=1, got=2"
    );
}

#[test]
fn budget_and_recursion_stop_runaway_scripts() {
    let (script, _) = Script::compile("for { }").unwrap();
    let e = script.run("", 1_000).unwrap_err();
    assert!(e.message.contains("budget of 1000 steps"), "{e}");
    let (script, _) = Script::compile("f := func(n) { return f(n + 1) }\nf(0)").unwrap();
    let e = script.run("", STEP_BUDGET).unwrap_err();
    assert!(e.message.contains("calls nested deeper than"), "{e}");
    let (script, _) = Script::compile("s := \"ab\"\nfor { s += s }").unwrap();
    let e = script.run("", STEP_BUDGET).unwrap_err();
    assert!(e.message.contains("at most"), "{e}");
}

#[test]
fn text_strings() {
    assert_eq!(
        text_out("text.split(\"a,b,,c\", \",\")"),
        "[\"a\", \"b\", \"\", \"c\"]"
    );
    assert_eq!(
        text_out("text.split_n(\"a,b,c\", \",\", 2)"),
        "[\"a\", \"b,c\"]"
    );
    assert_eq!(
        text_out("text.split_after(\"a,b\", \",\")"),
        "[\"a,\", \"b\"]"
    );
    assert_eq!(text_out("text.join([\"a\", 1, 'c'], \"-\")"), "a-1-c");
    assert_eq!(text_out("text.fields(\"  a \\t b\\n\")"), "[\"a\", \"b\"]");
    assert_eq!(text_out("[text.contains(\"abc\", \"bc\"), text.contains_any(\"abc\", \"xyc\"), text.has_prefix(\"abc\", \"ab\"), text.has_suffix(\"abc\", \"bc\"), text.equal_fold(\"Go\", \"GO\")]"), "[true, true, true, true, true]");
    assert_eq!(text_out("[text.index(\"chicken\", \"ken\"), text.index(\"x\", \"y\"), text.last_index(\"go gopher\", \"go\"), text.index_any(\"golang\", \"ny\"), text.last_index_any(\"golang\", \"go\")]"), "[4, -1, 3, 4, 5]");
    assert_eq!(text_out("[text.count(\"cheese\", \"e\"), text.count(\"five\", \"\"), text.compare(\"a\", \"b\")]"), "[3, 5, -1]");
    assert_eq!(text_out("text.trim_space(\"  x y \\n\")"), "x y");
    assert_eq!(text_out("text.trim(\"xxhixx\", \"x\") + text.trim_left(\"xxhi\", \"x\") + text.trim_right(\"hixx\", \"x\")"), "hihihi");
    assert_eq!(
        text_out("text.trim_prefix(\"<1>\", \"<\") + text.trim_suffix(\"1>\", \">\")"),
        "1>1"
    );
    assert_eq!(
        text_out("text.to_lower(\"ÀB\") + text.to_upper(\"àb\") + text.title(\"her royal\")"),
        "àbÀBHer Royal"
    );
    assert_eq!(text_out("text.repeat(\"ab\", 3)"), "ababab");
    assert_eq!(
        text_out("text.replace(\"oink oink oink\", \"k\", \"ky\", 2)"),
        "oinky oinky oink"
    );
    assert_eq!(text_out("text.replace(\"aaa\", \"a\", \"b\", -1)"), "bbb");
    assert_eq!(text_out("[text.substr(\"hello\", 1, 3), text.substr(\"hello\", 2), text.substr(\"hi\", -5, 50)]"), "[\"el\", \"llo\", \"hi\"]");
    assert_eq!(
        text_out("text.pad_left(\"7\", 3, \"0\") + \"|\" + text.pad_right(\"ab\", 5, \"xy\")"),
        "007|abxyx"
    );
}

#[test]
fn text_conversions() {
    assert_eq!(
        text_out("[text.atoi(\"12\"), is_error(text.atoi(\"1x\")), text.itoa(-4)]"),
        "[12, true, \"-4\"]"
    );
    assert_eq!(text_out("[text.parse_bool(\"T\"), text.parse_int(\"ff\", 16, 64), text.parse_float(\"2.5\", 64)]"), "[true, 255, 2.5]");
    assert_eq!(text_out("[text.format_int(255, 2), text.format_bool(false), text.format_float(3.14159, \"f\", 2, 64)]"), "[\"11111111\", \"false\", \"3.14\"]");
    assert_eq!(
        text_out("text.quote(\"a\\\"b\") + text.unquote(\"\\\"c\\\\td\\\"\")"),
        "\"a\\\"b\"c\td"
    );
}

#[test]
fn text_regexes() {
    assert_eq!(
        text_out("text.re_match(\"^[a-z]+\\\\d$\", \"abc1\")"),
        "true"
    );
    assert_eq!(
        text_out("text.re_find(\"(\\\\w)(\\\\d)\", \"a1 b2\")"),
        "[[{begin: 0, end: 2, text: \"a1\"}, {begin: 0, end: 1, text: \"a\"}, {begin: 1, end: 2, text: \"1\"}]]"
    );
    assert_eq!(text_out("len(text.re_find(\"\\\\d\", \"1 2 3\", -1))"), "3");
    assert_eq!(text_out("len(text.re_find(\"\\\\d\", \"1 2 3\", 2))"), "2");
    assert_eq!(
        text_out("is_undefined(text.re_find(\"z\", \"abc\"))"),
        "true"
    );
    assert_eq!(text_out("text.re_find(\"(a)|(b)\", \"b\")[0][1].text"), "b");
    assert_eq!(
        text_out("text.re_replace(\"(\\\\w+)@(\\\\w+)\", \"me@host you@there\", \"$2.$1\")"),
        "host.me there.you"
    );
    assert_eq!(
        text_out("text.re_replace(\"(?s) *(\\n```.*?```\\n)\", \"a\\n```\\nx\\n```\\nb\", \"\")"),
        "ab"
    );
    assert_eq!(
        text_out("text.re_split(\"a*\", \"abaabaccadaaae\", 5)"),
        "[\"\", \"b\", \"b\", \"c\", \"cadaaae\"]"
    );
    assert_eq!(
        text_out("text.re_split(\",\\\\s*\", \"a, b,c\")"),
        "[\"a\", \"b\", \"c\"]"
    );
    assert_eq!(text_out("is_error(text.re_match(\"(\", \"x\"))"), "true");
    assert_eq!(
        text_out("text.re_compile(\"o+\").replace(\"foo boo\", \"0\")"),
        "f0 b0"
    );
    assert_eq!(
        text_out("text.re_compile(\"o+\").find(\"foo\")[0][0].begin"),
        "1"
    );
    assert_eq!(text_out("text.re_compile(\"\\\\d\").match(\"a1\")"), "true");
    // Vale's dialect: a lookahead goes to the backtracking engine.
    assert_eq!(
        text_out("text.re_match(\"foo(?=bar)\", \"foobar\")"),
        "true"
    );
}

#[test]
fn fmt_and_math() {
    assert_eq!(
        out("fmt := import(\"fmt\")\nout := fmt.sprintf(\"%s has %d (%.1f%%)\", \"x\", 3, 42.25)"),
        "x has 3 (42.2%)"
    );
    assert_eq!(out("fmt := import(\"fmt\")\nfmt.println(\"dropped\")\nout := fmt.sprintf(\"%v|%5s|%-3d|\", [1], \"ab\", 7)"), "[1]|   ab|7  |");
    assert_eq!(out("math := import(\"math\")\nout := [math.sqrt(16), math.floor(2.7), math.max(2, 3.5), math.abs(-2), math.pow(2, 10)]"), "[4, 2, 3.5, 2, 1024]");
    assert_eq!(out("math := import(\"math\")\nout := [math.maxInt8, math.round(2.5), math.ceil(1.1), math.log10(1000)]"), "[127, 3, 2, 3]");
    assert_eq!(
        out("math := import(\"math\")\nout := int(math.pi * 100)"),
        "314"
    );
    assert_eq!(out("math := import(\"math\")\nout := math.is_nan(math.nan()) && math.is_inf(math.inf(1), 0)"), "true");
}

#[test]
fn scope_in_matches_out() {
    let src = "text := import(\"text\")\nmatches := []\nfor m in text.re_find(\"b+\", scope, -1) {\n  matches = append(matches, {begin: m[0].begin, end: m[0].end})\n}\nmatches = append(matches, {begin: 0, end: 1, message: \"first\"})";
    let (script, _) = Script::compile(src).unwrap();
    assert_eq!(
        script.run("abbcb", STEP_BUDGET).unwrap(),
        vec![
            Match {
                begin: 1,
                end: 3,
                message: None
            },
            Match {
                begin: 4,
                end: 5,
                message: None
            },
            Match {
                begin: 0,
                end: 1,
                message: Some("first".into())
            },
        ]
    );
    // No `matches`, or not an array: no alerts (as in Vale).
    assert!(Script::compile("x := 1")
        .unwrap()
        .0
        .run("a", STEP_BUDGET)
        .unwrap()
        .is_empty());
    assert!(Script::compile("matches := 3")
        .unwrap()
        .0
        .run("a", STEP_BUDGET)
        .unwrap()
        .is_empty());
    // Offsets outside scope, or not ints, stop the rule with an error.
    let e = Script::compile("matches := [{begin: 0, end: 9}]")
        .unwrap()
        .0
        .run("abc", STEP_BUDGET)
        .unwrap_err();
    assert!(e.message.contains("outside the scope's 3 bytes"), "{e}");
    let e = Script::compile("matches := [{begin: \"0\", end: 1}]")
        .unwrap()
        .0
        .run("abc", STEP_BUDGET)
        .unwrap_err();
    assert!(e.message.contains("integer `begin` and `end`"), "{e}");
    // An offset inside a character widens to the whole character.
    let m = Script::compile("matches := [{begin: 1, end: 2}]")
        .unwrap()
        .0
        .run("é", STEP_BUDGET)
        .unwrap();
    assert_eq!((m[0].begin, m[0].end), (0, 2));
}

#[test]
fn scope_reaches_functions_and_can_be_reassigned() {
    assert_eq!(
        out_with(
            "f := func() { return len(scope) }\nscope += \"!\"\nout := f()",
            "abc"
        ),
        "4"
    );
    assert!(parse("scope := 1").is_ok());
    assert!(
        Script::compile("scope := 1").is_err(),
        "`scope` is already defined"
    );
}
