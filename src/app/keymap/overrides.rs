//! The `[keys.*]` tables of `config.toml` applied to the defaults, and the clashes between
//! bindings that apply on the same screen, which are refused rather than left to break a key.

use super::{Action, Context, Key, Keymap, defaults};

/// The contexts whose bindings are looked up together for one key press (see `update`): a key
/// may mean only one thing within each group. Global takes the keys the screen leaves, except
/// in the filter (which handles every key) and in a confirmation (which only answers it).
pub(super) const GROUPS: &[&[Context]] = {
    use Context::*;
    &[
        &[Login, Global],
        &[Tfa, Global],
        &[Region, Nav, Global],
        &[Tree, Nav, Profile, Global],
        &[Raw, Nav, Profile, Global],
        &[Details, Nav, Global],
        &[Filter, Nav],
        &[Help, Nav, Global],
        &[Confirm],
        &[Edit, Global],
        &[Review, Global],
        &[Draft, Global],
        &[Password, Global],
        &[Mailbox, Nav, Global],
        &[Accounts, Nav, Global],
        &[SignIn, Global],
    ]
};

impl Keymap {
    /// The defaults with the `[keys.*]` tables of `config.toml` applied. Every entry that cannot
    /// be used gives one sentence in the returned list (shown to the user at start) and is
    /// skipped, its action keeping its default keys; the rest still apply. An entry is unusable
    /// when it does not parse, when it would type into a form's text field instead of acting,
    /// or when it gives a key that another action already has where both apply together.
    pub fn with_overrides(keys: &toml::Table) -> (Keymap, Vec<String>) {
        let mut map = Keymap::default();
        let mut problems = Vec::new();
        // The entries applied, in the order written: (context, action, as written in the file).
        let mut changed: Vec<(Context, Action, String)> = Vec::new();
        for (ctx_name, entries) in keys {
            let Some(ctx) = Context::from_name(ctx_name) else {
                problems.push(format!(
                    "[keys.{ctx_name}]: there is no such screen; use one of {}.",
                    Context::ALL.map(Context::name).join(", ")
                ));
                continue;
            };
            let Some(entries) = entries.as_table() else {
                problems.push(format!("[keys.{ctx_name}] must be a table of action = \"key\"."));
                continue;
            };
            for (action_name, value) in entries {
                match map.apply(ctx, action_name, value) {
                    Ok(action) => changed.push((ctx, action, format!("keys.{ctx_name}.{action_name}"))),
                    Err(p) => problems.push(format!("keys.{ctx_name}.{action_name}: {p}")),
                }
            }
        }
        // Undo conflicting entries one at a time: undoing one can make another conflict with
        // the default it brings back, so look again from the start after each.
        while let Some((i, sentence)) = map.first_conflict(&changed) {
            let (ctx, action, entry) = changed.remove(i);
            let default = defaults(ctx).into_iter().find(|(a, _)| *a == action).map(|(_, k)| k);
            let default = default.unwrap_or_default();
            let shown = default.iter().map(Key::pretty).collect::<Vec<_>>().join(", ");
            problems.push(format!("{entry}: {sentence}; it keeps its default ({shown})."));
            map.set(ctx, action, default);
        }
        map.reindex();
        (map, problems)
    }

    /// Sets an action's keys from a config entry and returns the action, or says why not.
    fn apply(&mut self, ctx: Context, action_name: &str, value: &toml::Value) -> Result<Action, String> {
        let rows = self.table.entry(ctx).or_default();
        let Some(pos) = rows.iter().position(|(a, _)| a.name() == action_name) else {
            let known: Vec<&str> = rows.iter().map(|(a, _)| a.name()).collect();
            return Err(format!("no action '{action_name}' here; known: {}.", known.join(", ")));
        };
        let texts: Vec<&str> = match value {
            toml::Value::String(s) => vec![s.as_str()],
            toml::Value::Array(items) => items
                .iter()
                .map(|v| v.as_str().ok_or("list keys as strings, e.g. [\"r\", \"F5\"]."))
                .collect::<Result<_, _>>()?,
            _ => return Err("give a key as a string (\"ctrl-l\") or a list of strings.".into()),
        };
        let keys: Vec<Key> = texts.into_iter().map(Key::parse).collect::<Result<_, _>>()?;
        if keys.is_empty() {
            return Err("an empty list would leave the action without a key.".into());
        }
        if keys.contains(&Key::ctrl('c')) {
            return Err("ctrl-c always quits and cannot be bound.".into());
        }
        if ctx.types_text()
            && let Some(k) = keys.iter().find(|k| k.is_text())
        {
            return Err(format!(
                "{} would type into the text field here; choose a key with ctrl or alt, or F1-F12.",
                k.pretty()
            ));
        }
        rows[pos].1 = keys;
        Ok(rows[pos].0)
    }

    fn set(&mut self, ctx: Context, action: Action, keys: Vec<Key>) {
        if let Some(row) = self.table.entry(ctx).or_default().iter_mut().find(|(a, _)| *a == action) {
            row.1 = keys;
        }
    }

    /// The first entry of `changed` giving a key (one not among its defaults) that another
    /// action has in a context active together with it, with the sentence that says so.
    fn first_conflict(&self, changed: &[(Context, Action, String)]) -> Option<(usize, String)> {
        changed.iter().enumerate().find_map(|(i, (ctx, action, _))| {
            let default = defaults(*ctx).into_iter().find(|(a, _)| a == action).map(|(_, k)| k);
            let new =
                self.keys(*ctx, *action).iter().filter(|k| !default.as_ref().is_some_and(|d| d.contains(k)));
            new.into_iter().find_map(|key| {
                let (other_ctx, other) = self.other_binding(*ctx, *action, *key)?;
                let place = if other_ctx == *ctx {
                    "here".to_string()
                } else {
                    format!("in [keys.{}], which applies on the same screens", other_ctx.name())
                };
                Some((i, format!("{} is already '{}' {place}", key.pretty(), other.name())))
            })
        })
    }

    /// Another action bound to `key` in a context looked up together with `ctx`.
    pub(super) fn other_binding(&self, ctx: Context, action: Action, key: Key) -> Option<(Context, Action)> {
        let together = GROUPS.iter().filter(|g| g.contains(&ctx)).flat_map(|g| g.iter().copied());
        let mut seen = Vec::new();
        for other_ctx in together {
            if seen.contains(&other_ctx) {
                continue;
            }
            seen.push(other_ctx);
            let hit = self
                .bindings(other_ctx)
                .iter()
                .find(|(a, keys)| (other_ctx, *a) != (ctx, action) && keys.contains(&key));
            if let Some((a, _)) = hit {
                return Some((other_ctx, *a));
            }
        }
        None
    }
}
