//! The Organisations and Settings tabs: their rows, made once per load, and [`RowList`], the
//! selection and filter they share (the same [`Cursor`] as the tree and the permissions, so every
//! tab of the profile moves, filters, counts and shows details alike).

use crate::api::User;
use crate::api::models::Stack;
use crate::screens::profile::details::Details;
use crate::screens::profile::tree::{Cursor, Rows, rows_in_fields};

/// How the user relates to an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgRelation {
    /// In `org_uid`, or `is_owner` in `organizations`.
    Owner,
    /// In `shared_org_uid`.
    Shared,
    /// Only in `organizations`.
    Member,
}

impl OrgRelation {
    pub fn label(self) -> &'static str {
        match self {
            OrgRelation::Owner => "owner",
            OrgRelation::Shared => "shared",
            OrgRelation::Member => "member",
        }
    }

    /// What the label means, for the details.
    fn meaning(self) -> &'static str {
        match self {
            OrgRelation::Owner => "owner: you own this organisation",
            OrgRelation::Shared => "shared: a stack of this organisation is shared with you",
            OrgRelation::Member => "member: you belong to this organisation",
        }
    }
}

/// One organisation row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgRow {
    pub relation: OrgRelation,
    pub uid: String,
    /// Present when the server sent `organizations`.
    pub name: Option<String>,
    /// Organisation roles, `admin` marked.
    pub roles: Vec<String>,
}

impl OrgRow {
    /// The name, or what stands for it when the server did not send one.
    pub fn shown_name(&self) -> &str {
        self.name.as_deref().unwrap_or("(name not sent)")
    }

    /// Whether any of its columns contains `query` (lower-cased).
    fn matches(&self, query: &str) -> bool {
        contains(self.relation.label(), query)
            || self.name.as_deref().is_some_and(|n| contains(n, query))
            || contains(&self.uid, query)
            || self.roles.iter().any(|r| contains(r, query))
    }

    pub fn details(&self) -> Details {
        Details::new("Organisation")
            .field("Name", self.shown_name())
            .field("UID", self.uid.as_str())
            .field("You are", self.relation.meaning())
            .list("Your roles", self.roles.clone())
    }
}

/// One line of the settings tab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsLine {
    Heading(String),
    /// An organisation, with its name when known.
    Org {
        uid: String,
        name: Option<String>,
    },
    /// A favourite stack: its API key, and its name once the stacks call told it.
    Stack {
        key: String,
        name: Option<String>,
    },
    Note(String),
}

impl SettingsLine {
    fn matches(&self, query: &str) -> bool {
        match self {
            SettingsLine::Org { uid, name } => {
                contains(uid, query) || name.as_deref().is_some_and(|n| contains(n, query))
            }
            SettingsLine::Stack { key, name } => {
                contains(key, query) || name.as_deref().is_some_and(|n| contains(n, query))
            }
            SettingsLine::Heading(_) | SettingsLine::Note(_) => false,
        }
    }
}

/// Case-insensitive `contains`, `query` already lower-cased.
fn contains(text: &str, query: &str) -> bool {
    text.to_lowercase().contains(query)
}

/// Owned, then shared, then any other organisation the server listed, each once.
pub fn org_rows(user: &User) -> Vec<OrgRow> {
    let orgs = user.organizations.as_deref().unwrap_or(&[]);
    let details = |uid: &str| orgs.iter().find(|o| o.uid == uid);
    let roles_of = |uid: &str| -> Vec<String> {
        details(uid)
            .map(|o| {
                o.org_roles
                    .iter()
                    .map(|r| {
                        let name =
                            r.name.clone().or_else(|| r.uid.clone()).unwrap_or_else(|| "(role)".into());
                        if r.admin == Some(true) { format!("{name} (admin)") } else { name }
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut rows: Vec<OrgRow> = Vec::new();
    let mut push = |relation, uid: &str| {
        if rows.iter().any(|r| r.uid == uid) {
            return;
        }
        rows.push(OrgRow {
            relation,
            uid: uid.to_string(),
            name: details(uid).and_then(|o| o.name.clone()),
            roles: roles_of(uid),
        });
    };
    for uid in &user.org_uid {
        push(OrgRelation::Owner, uid);
    }
    for uid in &user.shared_org_uid {
        push(OrgRelation::Shared, uid);
    }
    for o in orgs {
        push(if o.is_owner == Some(true) { OrgRelation::Owner } else { OrgRelation::Member }, &o.uid);
    }
    rows
}

/// The favourite stacks, grouped by organisation, named by `stacks` (the stacks call's answer,
/// empty until it came).
pub fn settings_lines(user: &User, stacks: &[Stack]) -> Vec<SettingsLine> {
    let favs = user.favorite_stacks();
    let mut out = vec![SettingsLine::Heading("Favourite stacks".into())];
    if favs.is_empty() {
        out.push(SettingsLine::Note("None. (Other settings, if any, are in the Raw tab.)".into()));
        return out;
    }
    let orgs = user.organizations.as_deref().unwrap_or(&[]);
    for f in favs {
        let name = orgs.iter().find(|o| o.uid == f.org_uid).and_then(|o| o.name.clone());
        out.push(SettingsLine::Org { uid: f.org_uid.clone(), name });
        if f.api_keys.is_empty() {
            out.push(SettingsLine::Note("no stacks".into()));
        }
        out.extend(f.api_keys.iter().map(|key| {
            let name = stacks.iter().find(|s| &s.api_key == key).and_then(|s| s.name.clone());
            SettingsLine::Stack { key: key.clone(), name: name.filter(|n| !n.trim().is_empty()) }
        }));
    }
    out
}

/// The details of settings line `i`: an organisation with its stacks, or a stack with its
/// organisation.
pub fn settings_details(lines: &[SettingsLine], i: usize) -> Option<Details> {
    // The organisation a line belongs to: the nearest one above it.
    let org = |i: usize| {
        lines[..=i].iter().rev().find_map(|l| match l {
            SettingsLine::Org { uid, name } => Some((uid.as_str(), name.as_deref())),
            _ => None,
        })
    };
    let org_name = |(uid, name): (&str, Option<&str>)| match name {
        Some(name) => format!("{name} ({uid})"),
        None => uid.to_string(),
    };
    Some(match lines.get(i)? {
        SettingsLine::Heading(title) => {
            let stacks = lines.iter().filter(|l| matches!(l, SettingsLine::Stack { .. })).count();
            let orgs = lines.iter().filter(|l| matches!(l, SettingsLine::Org { .. })).count();
            Details::new("Settings")
                .field("Setting", title.as_str())
                .field("Holds", format!("{stacks} stacks in {orgs} organisations"))
        }
        SettingsLine::Org { uid, name } => {
            let stacks = lines[i + 1..]
                .iter()
                .take_while(|l| !matches!(l, SettingsLine::Org { .. }))
                .filter_map(|l| match l {
                    SettingsLine::Stack { key, name: Some(name) } => Some(format!("{name} ({key})")),
                    SettingsLine::Stack { key, name: None } => Some(key.clone()),
                    _ => None,
                })
                .collect();
            Details::new("Organisation")
                .maybe("Name", name.as_deref())
                .field("UID", uid.as_str())
                .list("Favourite stacks", stacks)
        }
        SettingsLine::Stack { key, name } => Details::new("Favourite stack")
            .maybe("Name", name.as_deref())
            .field("Stack API key", key.as_str())
            .maybe("Organisation", org(i).map(org_name).as_deref()),
        SettingsLine::Note(text) => Details::new("Note").field("Note", text.as_str()),
    })
}

/// The rows of a list that a filter shows, with the selection.
#[derive(Debug, Default, Clone)]
pub struct RowList {
    /// Shown rows: the item's index and whether its own text matches the filter.
    rows: Vec<(u32, bool)>,
    cursor: Cursor,
    matches: usize,
}

impl RowList {
    /// Every one of `len` items, none matched.
    pub fn all(len: usize) -> Self {
        let mut list = RowList::default();
        list.show((0..len as u32).map(|i| (i, false)).collect());
        list
    }

    /// Shows `rows` (item, matched), keeping the selected item when it is still shown, else
    /// selecting the first match.
    fn show(&mut self, rows: Vec<(u32, bool)>) {
        let keep = self.selected_item();
        self.matches = rows.iter().filter(|(_, m)| *m).count();
        self.rows = rows;
        let found = keep.and_then(|item| self.rows.iter().position(|&(i, _)| i as usize == item));
        let first_match = || self.rows.iter().position(|&(_, m)| m);
        let target = found.or_else(first_match).unwrap_or(0);
        self.cursor.select(target, self.rows.len());
        self.cursor.clamp(self.rows.len());
    }

    /// Narrows to the organisations matching `query` ("" shows all).
    pub fn filter_orgs(&mut self, orgs: &[OrgRow], query: &str) {
        self.filter_items(orgs, query, OrgRow::matches);
    }

    /// Narrows to the `items` that `hit` says contain `query` (given lower-cased; "" shows all).
    pub fn filter_items<T>(&mut self, items: &[T], query: &str, hit: impl Fn(&T, &str) -> bool) {
        let q = query.to_lowercase();
        let rows = items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| match (q.is_empty(), hit(item, &q)) {
                (true, _) => Some((i as u32, false)),
                (false, hit) => hit.then_some((i as u32, true)),
            })
            .collect();
        self.show(rows);
    }

    /// Narrows the settings to what matches `query` ("" shows all): an organisation that
    /// matches with all its stacks, or the stacks that match under their organisation.
    pub fn filter_settings(&mut self, lines: &[SettingsLine], query: &str) {
        let q = query.to_lowercase();
        if q.is_empty() {
            self.show((0..lines.len() as u32).map(|i| (i, false)).collect());
            return;
        }
        let mut rows = Vec::new();
        let mut i = 0;
        while i < lines.len() {
            let SettingsLine::Org { .. } = lines[i] else {
                i += 1;
                continue;
            };
            let end = lines[i + 1..]
                .iter()
                .position(|l| matches!(l, SettingsLine::Org { .. }))
                .map_or(lines.len(), |n| i + 1 + n);
            let org_hit = lines[i].matches(&q);
            let hits: Vec<(u32, bool)> = (i + 1..end)
                .filter_map(|k| {
                    let hit = lines[k].matches(&q);
                    (org_hit || hit).then_some((k as u32, hit))
                })
                .collect();
            if org_hit || !hits.is_empty() {
                rows.push((i as u32, org_hit));
                rows.extend(hits);
            }
            i = end;
        }
        if !rows.is_empty() {
            rows.insert(0, (0, false));
        }
        self.show(rows);
    }

    /// Number of rows shown.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Shown row `i`: its item's index and whether it matches the filter itself.
    pub fn row(&self, i: usize) -> Option<(usize, bool)> {
        self.rows.get(i).map(|&(item, m)| (item as usize, m))
    }

    /// The selected row's item.
    pub fn selected_item(&self) -> Option<usize> {
        self.row(self.cursor.selected()).map(|(item, _)| item)
    }

    /// Rows whose own text matches the filter.
    pub fn match_count(&self) -> usize {
        self.matches
    }

    /// Selects the next (`forward`) or previous matching row, wrapping around.
    pub fn step_match(&mut self, forward: bool) {
        let (len, sel) = (self.rows.len(), self.selected());
        let at = |k: usize| if forward { (sel + k) % len } else { (sel + len - k) % len };
        if let Some(i) = (1..=len).map(at).find(|&i| self.rows[i].1) {
            self.cursor.select(i, len);
        }
    }
}

rows_in_fields!(RowList);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn user() -> User {
        serde_json::from_value(json!({
            "uid": "u1", "email": "a@b.c",
            "org_uid": ["o1"], "shared_org_uid": ["o2", "o1"],
            "organizations": [
                {"uid": "o2", "name": "Shared Co", "org_roles": [{"name": "Member"}, {"name": "Admin", "admin": true}]},
                {"uid": "o3", "name": "Third", "is_owner": true}
            ],
            "settings": {"global": [{"key": "favorite_stacks", "value": [
                {"org_uid": "o2", "stacks": [{"api_key": "k1"}]},
                {"org_uid": "o3", "stacks": [{"api_key": "k2"}, {"api_key": "blt9"}]}
            ]}]}
        }))
        .expect("valid")
    }

    #[test]
    fn orgs_are_listed_once_with_names_and_roles() {
        let rows = org_rows(&user());
        let summary: Vec<_> = rows.iter().map(|r| (r.relation, r.uid.as_str(), r.name.as_deref())).collect();
        assert_eq!(
            summary,
            vec![
                (OrgRelation::Owner, "o1", None),
                (OrgRelation::Shared, "o2", Some("Shared Co")),
                (OrgRelation::Owner, "o3", Some("Third")),
            ]
        );
        assert_eq!(rows[1].roles, vec!["Member", "Admin (admin)"]);
        let d = rows[1].details();
        assert_eq!(d.value("Your roles").as_deref(), Some("Member\nAdmin (admin)"));
    }

    #[test]
    fn settings_group_stacks_by_org() {
        let lines = settings_lines(&user(), &[]);
        assert_eq!(
            lines,
            vec![
                SettingsLine::Heading("Favourite stacks".into()),
                SettingsLine::Org { uid: "o2".into(), name: Some("Shared Co".into()) },
                SettingsLine::Stack { key: "k1".into(), name: None },
                SettingsLine::Org { uid: "o3".into(), name: Some("Third".into()) },
                SettingsLine::Stack { key: "k2".into(), name: None },
                SettingsLine::Stack { key: "blt9".into(), name: None },
            ]
        );
        let d = settings_details(&lines, 5).expect("details");
        assert_eq!(d.value("Organisation").as_deref(), Some("Third (o3)"));
        let d = settings_details(&lines, 3).expect("details");
        assert_eq!(d.value("Favourite stacks").as_deref(), Some("k2\nblt9"));
    }

    #[test]
    fn favourite_stacks_are_named_once_the_stacks_are_known() {
        let stacks: Vec<Stack> =
            serde_json::from_value(json!([{"api_key": "k2", "name": "Website"}])).expect("stacks");
        let lines = settings_lines(&user(), &stacks);
        assert_eq!(lines[4], SettingsLine::Stack { key: "k2".into(), name: Some("Website".into()) });
        assert_eq!(lines[5], SettingsLine::Stack { key: "blt9".into(), name: None }, "not listed: its key");
        let d = settings_details(&lines, 4).expect("details");
        assert_eq!(
            (d.value("Name").as_deref(), d.value("Organisation").as_deref()),
            (Some("Website"), Some("Third (o3)"))
        );
        let mut list = RowList::all(lines.len());
        list.filter_settings(&lines, "websi");
        assert_eq!(list.match_count(), 1, "the filter finds a favourite by its name");
    }

    #[test]
    fn filters_keep_the_selection_and_step_between_matches() {
        let orgs = org_rows(&user());
        let mut list = RowList::all(orgs.len());
        list.move_by(2);
        list.filter_orgs(&orgs, "OWNER");
        assert_eq!(
            (list.len(), list.match_count(), list.selected_item()),
            (2, 2, Some(2)),
            "o3 stays selected"
        );
        list.step_match(true);
        assert_eq!(list.selected_item(), Some(0), "wraps around");
        list.filter_orgs(&orgs, "admin");
        assert_eq!((list.len(), list.selected_item()), (1, Some(1)));
        list.filter_orgs(&orgs, "");
        assert_eq!((list.len(), list.match_count(), list.selected_item()), (3, 0, Some(1)));

        let lines = settings_lines(&user(), &[]);
        let mut list = RowList::all(lines.len());
        list.filter_settings(&lines, "k");
        let shown: Vec<_> = (0..list.len()).filter_map(|i| list.row(i)).collect();
        assert_eq!(shown, [(0, false), (1, false), (2, true), (3, false), (4, true)]);
        list.filter_settings(&lines, "third");
        let shown: Vec<_> = (0..list.len()).filter_map(|i| list.row(i)).collect();
        assert_eq!(shown, [(0, false), (3, true), (4, false), (5, false)]);
        list.filter_settings(&lines, "nothing");
        assert!(list.is_empty());
    }
}
