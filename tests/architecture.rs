//! The layers of `src/` and which may import which, checked on the source text.
//!
//! Every `use` statement (brace groups and `super::`/`self::` included) and every path written
//! out in code (`crate::demo::totp_now()`) of every `src/**/*.rs` file is resolved to the module
//! it names, and each [`RULES`] row forbids one layer to name another. Comments are skipped;
//! paths relative to a child module (`demo::run_demo` in `commands/mod.rs`, which is
//! `commands::demo`) are not followed, so reaching another layer takes `crate::` or `super::`.
//!
//! To add a rule, add a row. A row's `except` lists modules (files) allowed what the row
//! forbids, each with its reason in a comment.

use std::path::{Path, PathBuf};

/// One forbidden dependency: no module under `from` may name anything under `to`.
struct Rule {
    /// Module paths from the crate root: `"app"`, `"app::update"`.
    from: &'static [&'static str],
    to: &'static [&'static str],
    /// Modules under `from` that may, each with a reason.
    except: &'static [&'static str],
    why: &'static str,
}

const RULES: &[Rule] = &[
    Rule {
        from: &["app", "ui", "screens"],
        to: &["demo"],
        except: &[],
        why: "the demo server is a program of its own: only the commands that start it import it",
    },
    Rule {
        from: &["app"],
        to: &["ui"],
        except: &["app::run"],
        why: "update never asks the view for layout: views record what they drew in the screens' state; only the loop draws (and owns the theme)",
    },
    Rule {
        from: &["api"],
        to: &["demo", "app", "ui", "store", "screens", "commands"],
        except: &[],
        why: "the API client knows Contentstack, not the terminal app, its files or the demo server",
    },
    Rule {
        from: &["store"],
        to: &["demo", "app", "ui", "screens", "commands"],
        except: &[],
        why: "the files on disk are read and written for the app, not by it",
    },
    Rule {
        from: &["demo"],
        to: &["app", "ui", "store", "screens", "commands"],
        except: &[],
        why: "the demo server imports the API's rules and nothing of the app",
    },
];

/// A module named by a file: its path from the crate root, the line, and what was written.
#[derive(Debug, PartialEq)]
struct Reference {
    line: usize,
    target: Vec<String>,
    written: String,
}

/// The module path of a file under `src/`: `src/app/update/edit.rs` → `app::update::edit`,
/// `src/app/mod.rs` → `app`, `src/lib.rs` → the root.
fn module_of(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> =
        relative.iter().map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string()).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib" | "main")) {
        parts.pop();
    }
    parts
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Colons,
    Open,
    Close,
    Comma,
    Semi,
    Star,
    Other,
}

/// The tokens of the code (comments, strings and chars dropped), each with its line.
fn tokens(source: &str) -> Vec<(usize, Token)> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    // Moves `i` past `n` characters, counting lines.
    let skip_to = |i: &mut usize, to: usize, line: &mut usize| {
        while *i < to.min(chars.len()) {
            if chars[*i] == '\n' {
                *line += 1;
            }
            *i += 1;
        }
    };
    let find = |from: usize, pat: &[char]| {
        (from..chars.len()).find(|&k| chars[k..].starts_with(pat)).unwrap_or(chars.len())
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '\n' => {
                line += 1;
                i += 1;
            }
            '/' if next == Some('/') => i = find(i, &['\n']),
            '/' if next == Some('*') => {
                let end = find(i + 2, &['*', '/']) + 2;
                skip_to(&mut i, end, &mut line);
            }
            '"' => {
                let mut k = i + 1;
                while k < chars.len() && chars[k] != '"' {
                    k += if chars[k] == '\\' { 2 } else { 1 };
                }
                out.push((line, Token::Other));
                skip_to(&mut i, k + 1, &mut line);
            }
            '\'' if chars.get(i + 2) == Some(&'\'') || next == Some('\\') => {
                let mut k = i + 1;
                while k < chars.len() && chars[k] != '\'' {
                    k += if chars[k] == '\\' { 2 } else { 1 };
                }
                out.push((line, Token::Other));
                i = k + 1;
            }
            ':' if next == Some(':') => {
                out.push((line, Token::Colons));
                i += 2;
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                let ident: String = chars[start..i].iter().collect();
                // A raw string: r"…", r#"…"#, br"…".
                if matches!(ident.as_str(), "r" | "br") && matches!(chars.get(i), Some('"' | '#')) {
                    let hashes = chars[i..].iter().take_while(|&&h| h == '#').count();
                    if chars.get(i + hashes) == Some(&'"') {
                        let close: Vec<char> =
                            std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
                        let end = find(i + hashes + 1, &close) + close.len();
                        out.push((line, Token::Other));
                        skip_to(&mut i, end, &mut line);
                        continue;
                    }
                }
                // `r#type`: the identifier `type`.
                if ident == "r" && chars.get(i) == Some(&'#') {
                    i += 1;
                    continue;
                }
                out.push((line, Token::Ident(ident)));
            }
            c => {
                out.push((
                    line,
                    match c {
                        '{' => Token::Open,
                        '}' => Token::Close,
                        ',' => Token::Comma,
                        ';' => Token::Semi,
                        '*' => Token::Star,
                        _ if c.is_whitespace() => {
                            i += 1;
                            continue;
                        }
                        _ => Token::Other,
                    },
                ));
                i += 1;
            }
        }
    }
    out
}

/// `path` (as written) from inside `module`, as a path from the crate root; `None` for a path
/// that does not start at the crate (`std::`, a child module, a local name).
fn resolve(module: &[String], path: &[String]) -> Option<Vec<String>> {
    let mut at: Vec<String> = match path.first().map(String::as_str) {
        Some("crate" | "cs_account") => Vec::new(),
        Some("super" | "self") => module.to_vec(),
        _ => return None,
    };
    let mut rest = &path[usize::from(matches!(path[0].as_str(), "crate" | "cs_account"))..];
    while let Some(first) = rest.first() {
        match first.as_str() {
            "super" => {
                at.pop()?;
            }
            "self" => {}
            _ => break,
        }
        rest = &rest[1..];
    }
    at.extend(rest.iter().cloned());
    Some(at)
}

/// Reads a use tree from `toks[*i]`, calling `found` with each full path (as written).
fn use_tree(
    toks: &[(usize, Token)],
    i: &mut usize,
    prefix: &mut Vec<String>,
    found: &mut dyn FnMut(&[String]),
) {
    let depth = prefix.len();
    let mut grouped = false;
    loop {
        match toks.get(*i).map(|t| &t.1) {
            Some(Token::Ident(s)) if s == "as" => {
                *i += 2;
            }
            Some(Token::Ident(s)) => {
                prefix.push(s.clone());
                *i += 1;
            }
            Some(Token::Colons) => *i += 1,
            Some(Token::Star) => {
                *i += 1;
            }
            Some(Token::Open) => {
                *i += 1;
                grouped = true;
                loop {
                    use_tree(toks, i, prefix, found);
                    match toks.get(*i).map(|t| &t.1) {
                        Some(Token::Comma) => *i += 1,
                        Some(Token::Close) => {
                            *i += 1;
                            break;
                        }
                        _ => break,
                    }
                    if matches!(toks.get(*i).map(|t| &t.1), Some(Token::Close)) {
                        *i += 1;
                        break;
                    }
                }
            }
            _ => break,
        }
    }
    if prefix.len() > depth && !grouped {
        // `use a::{self, b}`: `self` names the prefix itself.
        let named_self = prefix.len() > 1 && prefix.last().is_some_and(|s| s == "self");
        found(&prefix[..prefix.len() - usize::from(named_self)]);
    }
    prefix.truncate(depth);
}

/// Every module path the code of `module` names from the crate root.
fn references(module: &[String], source: &str) -> Vec<Reference> {
    let toks = tokens(source);
    let mut out = Vec::new();
    // Inline modules (`mod tests { ... }`): their names, and the brace depth they opened at.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < toks.len() {
        let here: Vec<String> = module.iter().cloned().chain(inline.iter().map(|(m, _)| m.clone())).collect();
        let line = toks[i].0;
        match &toks[i].1 {
            Token::Ident(kw) if kw == "mod" => {
                if let (Some((_, Token::Ident(name))), Some((_, Token::Open))) =
                    (toks.get(i + 1), toks.get(i + 2))
                {
                    depth += 1;
                    inline.push((name.clone(), depth));
                    i += 3;
                    continue;
                }
            }
            Token::Ident(kw) if kw == "use" => {
                i += 1;
                let mut found = |path: &[String]| {
                    if let Some(target) = resolve(&here, path) {
                        out.push(Reference { line, target, written: path.join("::") });
                    }
                };
                use_tree(&toks, &mut i, &mut Vec::new(), &mut found);
                continue;
            }
            Token::Ident(first)
                if matches!(first.as_str(), "crate" | "super" | "self" | "cs_account")
                    && matches!(toks.get(i + 1), Some((_, Token::Colons))) =>
            {
                let mut path = vec![first.clone()];
                let mut j = i + 1;
                while let (Some((_, Token::Colons)), Some((_, Token::Ident(s)))) =
                    (toks.get(j), toks.get(j + 1))
                {
                    path.push(s.clone());
                    j += 2;
                }
                if let Some(target) = resolve(&here, &path) {
                    out.push(Reference { line, target, written: path.join("::") });
                }
                i = j;
                continue;
            }
            Token::Open => depth += 1,
            Token::Close => {
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
        i += 1;
    }
    out
}

fn under(path: &[String], prefix: &str) -> bool {
    let prefix: Vec<&str> = prefix.split("::").collect();
    path.len() >= prefix.len() && path.iter().zip(&prefix).all(|(a, b)| a == b)
}

/// The rows of `rules` that `module`'s `source` breaks, one line each.
fn violations(rules: &[Rule], file: &str, module: &[String], source: &str) -> Vec<String> {
    let mut out = Vec::new();
    for r in references(module, source) {
        for rule in rules {
            let excepted = rule.except.iter().any(|e| under(module, e));
            let from = rule.from.iter().find(|from| under(module, from));
            if let Some(from) = from.filter(|_| !excepted && rule.to.iter().any(|to| under(&r.target, to))) {
                out.push(format!(
                    "{file}:{}: `{}` names {}: {} may not import {} ({})",
                    r.line,
                    r.written,
                    r.target.join("::"),
                    from,
                    rule.to.join(", "),
                    rule.why
                ));
            }
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a readable directory").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Runs `check` over every Rust file under `src/<under>` (at least `at_least` of them: fewer
/// means the sources were not found) with its path (`src/…`), its module path and its text,
/// and gathers what it reports.
fn check_sources(
    under: &str,
    at_least: usize,
    check: impl Fn(&str, &[String], &str) -> Vec<String>,
) -> Vec<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src.join(under), &mut files);
    files.sort();
    assert!(files.len() > at_least, "the sources were not found in {}", src.join(under).display());
    let mut found = Vec::new();
    for path in &files {
        let relative = path.strip_prefix(&src).expect("under src");
        let source = std::fs::read_to_string(path).expect("a readable file");
        found.extend(check(&format!("src/{}", relative.display()), &module_of(relative), &source));
    }
    found
}

#[test]
fn no_layer_imports_what_it_may_not() {
    let found = check_sources("", 50, |file, module, source| violations(RULES, file, module, source));
    assert!(found.is_empty(), "{} imports across layers:\n{}", found.len(), found.join("\n"));
}

/// Whether `name` is a screen's module (a folder or file under src/screens).
fn is_screen_module(name: &str) -> bool {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/screens");
    dir.join(name).is_dir() || dir.join(name).with_extension("rs").is_file()
}

/// Where `module` (a path from the crate root) names another screen than its own: one line each.
fn screen_crossings(file: &str, module: &[String], source: &str) -> Vec<String> {
    let Some(own) = module.get(1).filter(|_| module.first().is_some_and(|m| m == "screens")) else {
        return Vec::new();
    };
    references(module, source)
        .into_iter()
        .filter(|r| r.target.first().is_some_and(|m| m == "screens"))
        // Another screen's module; the screens module's own items (the `Screen` enum, the
        // `ScreenState` trait every screen implements) are the frame, not a screen.
        .filter(|r| r.target.get(1).is_some_and(|other| other != own && is_screen_module(other)))
        .map(|r| {
            format!(
                "{file}:{}: `{}` names {}: a screen never imports another screen (it returns a navigation step; shared pieces live in app/ or ui/)",
                r.line,
                r.written,
                r.target.join("::")
            )
        })
        .collect()
}

#[test]
fn no_screen_imports_another_screen() {
    let found = check_sources("screens", 10, screen_crossings);
    assert!(found.is_empty(), "{} imports between screens:\n{}", found.len(), found.join("\n"));
}

#[test]
fn a_screen_naming_another_is_reported() {
    let here = module("screens::activate::view");
    let bad = "use crate::screens::reset::view::para;\nfn f() { super::super::login::Focus::Email; }\n";
    assert_eq!(screen_crossings("x.rs", &here, bad).len(), 2);
    let fine = "use crate::screens::activate::Focus;\nuse crate::app::nav::Nav;\nuse super::update;\n";
    assert!(screen_crossings("x.rs", &here, fine).is_empty());
    assert!(screen_crossings("x.rs", &module("app::nav"), bad).is_empty(), "the app builds screens");
    let frame = "impl crate::screens::ScreenState for X {}\nuse crate::screens::View;\n";
    assert!(screen_crossings("x.rs", &here, frame).is_empty(), "the screens' own trait and enums");
}

#[test]
fn every_rule_names_modules_that_exist() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let exists = |m: &str| {
        let p = src.join(m.replace("::", "/"));
        p.is_dir() || p.with_extension("rs").is_file()
    };
    for rule in RULES {
        for m in rule.from.iter().chain(rule.to) {
            assert!(exists(m), "no module {m}");
        }
        for e in rule.except {
            assert!(exists(e), "no module {e} (an exception of {:?})", rule.from);
        }
    }
}

fn module(path: &str) -> Vec<String> {
    path.split("::").map(str::to_string).collect()
}

#[test]
fn paths_are_resolved_as_rustc_would() {
    let source = r#"
        //! A doc comment naming crate::demo is not an import.
        use crate::{api::{self, Endpoint}, demo::DemoServer as Server};
        use super::super::demo;
        use self::inner::x;
        use std::collections::HashMap;
        fn f() {
            let s = "crate::demo::in_a_string";
            crate::demo::totp_now(); // crate::demo in a comment
            demo::local_child();
        }
        #[cfg(test)]
        mod tests {
            use super::*;
            use super::super::sibling;
        }
        use crate::ui::{
            draw,
            theme::Theme,
        };
    "#;
    let got: Vec<(usize, String)> = references(&module("app::update::edit"), source)
        .into_iter()
        .map(|r| (r.line, r.target.join("::")))
        .collect();
    let want: Vec<(usize, String)> = [
        (3, "api"),
        (3, "api::Endpoint"),
        (3, "demo::DemoServer"),
        (4, "app::demo"),
        (5, "app::update::edit::inner::x"),
        (9, "demo::totp_now"),
        (14, "app::update::edit"),
        (15, "app::update::sibling"),
        (17, "ui::draw"),
        (17, "ui::theme::Theme"),
    ]
    .into_iter()
    .map(|(l, p)| (l, p.to_string()))
    .collect();
    // `super::*` inside `mod tests` of edit.rs is edit itself; `super::super` its parent's.
    assert_eq!(got, want);
}

#[test]
fn a_violation_is_reported_with_its_place() {
    let found =
        violations(RULES, "src/app/x.rs", &module("app::x"), "fn f() {\n    crate::demo::totp_now();\n}\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("src/app/x.rs:2: `crate::demo::totp_now` names demo::totp_now"),
        "{}",
        found[0]
    );
    let grouped =
        violations(RULES, "src/api/mod.rs", &module("api"), "use crate::{sanitize, store::X, app};");
    assert_eq!(grouped.len(), 2, "{grouped:?}");
    let allowed =
        violations(RULES, "src/commands/demo.rs", &module("commands::demo"), "use crate::demo::DemoServer;");
    assert!(allowed.is_empty(), "{allowed:?}");
    let relative = violations(RULES, "src/demo/mod.rs", &module("demo"), "use super::app::State;");
    assert_eq!(relative.len(), 1, "super:: from demo/mod.rs is the crate root: {relative:?}");
}
