//! Pathname expansion (XCU 2.6.6): a field with unquoted `*`, `?` or `[`
//! becomes the sorted paths it matches, one directory level at a time.

use super::Context;
use super::fields::Field;
use super::pattern::Pattern;

/// One `/`-separated component of a field.
struct Component {
    text: String,
    pattern: Pattern,
}

fn components(field: &Field) -> Vec<Component> {
    let mut out = Vec::new();
    let mut chars = Vec::new();
    let mut text = String::new();
    for (c, active) in field.text.chars().zip(field.active.iter().copied()) {
        if c == '/' {
            out.push(Component {
                text: std::mem::take(&mut text),
                pattern: Pattern::new(&chars),
            });
            chars.clear();
        } else {
            text.push(c);
            chars.push((c, active));
        }
    }
    out.push(Component {
        text,
        pattern: Pattern::new(&chars),
    });
    out
}

/// The paths `field` matches, sorted; empty when none do.
pub fn expand(ctx: &dyn Context, field: &Field) -> Vec<String> {
    let components = components(field);
    // Paths matched so far, each ending where the next component starts
    // ("" for a relative start, "/" after an absolute one).
    let mut paths = vec![String::new()];
    let last = components.len() - 1;
    for (index, component) in components.iter().enumerate() {
        let is_last = index == last;
        if index == 0 && component.text.is_empty() {
            paths = vec!["/".to_string()];
            continue;
        }
        if is_last && component.text.is_empty() {
            // A trailing slash: only directories match.
            paths.retain(|path| ctx.read_dir(path).is_some());
            break;
        }
        let mut next = Vec::new();
        for path in &paths {
            if !component.pattern.has_magic() {
                let text = component.pattern.literal_text().unwrap_or_default();
                let candidate = format!("{path}{text}");
                if !is_last || ctx.exists(&candidate) {
                    next.push(candidate);
                }
                continue;
            }
            let dir = if path.is_empty() { "." } else { path };
            let Some(mut names) = ctx.read_dir(dir) else {
                continue;
            };
            names.sort();
            for name in names {
                if component.pattern.matches_name(&name) {
                    next.push(format!("{path}{name}"));
                }
            }
        }
        paths = next;
        if !is_last {
            for path in &mut paths {
                path.push('/');
            }
        }
        if paths.is_empty() {
            break;
        }
    }
    if paths.iter().all(|path| path.is_empty() || path == "/") {
        return Vec::new();
    }
    paths.sort();
    paths
}
