//! The profile screen's state: the tab shown, each tab's position, and the data derived from
//! the user once per load (so a frame never re-serialises a large profile).

use secrecy::SecretString;

use super::field::TextField;
use super::permissions::Permissions;
use super::raw::RawJson;
use super::tree::ProfileTree;
use crate::api::{Role, User};

/// The profile's tabs, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Roles,
    Permissions,
    Orgs,
    Settings,
    Raw,
}

impl Tab {
    pub const ALL: [Tab; 5] = [Tab::Roles, Tab::Permissions, Tab::Orgs, Tab::Settings, Tab::Raw];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Roles => "Roles",
            Tab::Permissions => "Permissions",
            Tab::Orgs => "Organisations",
            Tab::Settings => "Settings",
            Tab::Raw => "Raw",
        }
    }

    /// The title when space is short.
    pub fn short_title(self) -> &'static str {
        match self {
            Tab::Roles => "Roles",
            Tab::Permissions => "Perms",
            Tab::Orgs => "Orgs",
            Tab::Settings => "Sett",
            Tab::Raw => "Raw",
        }
    }

    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    /// The tab `delta` places away, wrapping.
    pub fn step(self, delta: isize) -> Tab {
        let n = Tab::ALL.len() as isize;
        Tab::ALL[(self.index() as isize + delta).rem_euclid(n) as usize]
    }
}

/// A scroll position over a list of `len` lines shown `height` at a time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scroll {
    pub offset: usize,
}

impl Scroll {
    fn max(len: usize, height: usize) -> usize {
        len.saturating_sub(height.max(1))
    }

    pub fn by(&mut self, delta: isize, len: usize, height: usize) {
        let next = (self.offset as isize + delta).max(0) as usize;
        self.offset = next.min(Self::max(len, height));
    }

    pub fn top(&mut self) {
        self.offset = 0;
    }

    pub fn bottom(&mut self, len: usize, height: usize) {
        self.offset = Self::max(len, height);
    }

    /// Keeps the offset valid after the content or the height changed.
    pub fn clamp(&mut self, len: usize, height: usize) {
        self.offset = self.offset.min(Self::max(len, height));
    }
}

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

/// One line of the settings tab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsLine {
    Heading(String),
    /// An organisation, with its name when known.
    Org {
        uid: String,
        name: Option<String>,
    },
    Stack(String),
    Blank,
    Note(String),
}

/// Everything the profile screen shows besides the user itself.
#[derive(Debug)]
pub struct ProfileState {
    pub tab: Tab,
    /// The roles tree (expansion, selection, filter live in it). It owns the roles: the
    /// session's user is kept without them, so a large profile is held once.
    pub tree: ProfileTree,
    /// Each module's rights, united over the roles.
    pub perms: Permissions,
    /// The filter as typed; applied to the tree and the permissions on every change.
    pub filter: TextField,
    /// Whether the filter field has the keyboard.
    pub editing_filter: bool,
    pub orgs: Vec<OrgRow>,
    pub orgs_scroll: Scroll,
    pub settings: Vec<SettingsLine>,
    pub settings_scroll: Scroll,
    /// The whole profile as pretty JSON, the token masked: built the first time the Raw tab
    /// shows (most sessions never open it, and a very large profile takes a moment).
    pub raw: Option<RawJson>,
    pub raw_scroll: Scroll,
    /// A filter is being applied in steps and the app has asked for the next one (see
    /// [`ProfileState::apply_filter_in_steps`]), so another request would only duplicate it.
    pub filter_stepping: bool,
}

impl ProfileState {
    /// The profile of `user`, whose roles have been moved out into `roles`.
    pub fn new(user: &User, roles: Vec<Role>) -> Self {
        let tree = ProfileTree::new(roles);
        let perms = Permissions::from_tree(&tree);
        ProfileState {
            tab: Tab::Roles,
            tree,
            perms,
            filter: TextField::plain(),
            editing_filter: false,
            orgs: org_rows(user),
            orgs_scroll: Scroll::default(),
            settings: settings_lines(user),
            settings_scroll: Scroll::default(),
            raw: None,
            raw_scroll: Scroll::default(),
            filter_stepping: false,
        }
    }

    /// Whether the filter field has the keyboard.
    pub fn filtering(&self) -> bool {
        self.editing_filter
    }

    /// Whether the filter line shows (being typed, or set).
    pub fn filter_visible(&self) -> bool {
        self.editing_filter || !self.filter.is_empty()
    }

    /// Applies the filter field's text to the tree and the permissions.
    pub fn apply_filter(&mut self) {
        let query = self.filter.value().to_string();
        self.tree.set_filter(&query);
        self.perms.set_filter(&query);
    }

    /// Applies the filter field's text as a keystroke should: the permissions and the tree's
    /// first step at once, so the key's frame shows the first results within a millisecond or
    /// two whatever the profile's size. Returns whether the tree has steps left, which
    /// [`ProfileState::continue_filter`] takes one per message, the app drawing in between.
    pub fn apply_filter_in_steps(&mut self) -> bool {
        let query = self.filter.value().to_string();
        self.perms.set_filter(&query);
        self.tree.start_filter(&query)
    }

    /// Takes the tree's next filter step; returns whether more remain.
    pub fn continue_filter(&mut self) -> bool {
        self.tree.continue_filter()
    }

    /// Takes a fresh copy of the user (roles moved out into `roles`), keeping the tab and every
    /// position: the tree keeps what was expanded and selected, and its filter.
    pub fn load(&mut self, user: &User, roles: Vec<Role>) {
        let selected = self.perms.selected();
        self.tree.rebuild(roles);
        self.perms = Permissions::from_tree(&self.tree);
        self.perms.set_filter(self.filter.value());
        self.perms.select(selected);
        self.orgs = org_rows(user);
        self.settings = settings_lines(user);
        self.raw = None;
    }

    /// Builds the raw JSON if it is not built yet.
    pub fn ensure_raw(&mut self, user: &User, token: &SecretString) {
        if self.raw.is_none() {
            self.raw = Some(RawJson::build(user, &self.tree, token));
        }
    }

    /// Lines of the raw JSON (0 until built).
    pub fn raw_len(&self) -> usize {
        self.raw.as_ref().map_or(0, RawJson::len)
    }
}

/// Hands back to the system the memory freed since a server's answer arrived. The loop calls it
/// once `update` has handled an answer.
///
/// Decoding a large profile (1,000 roles × 50 rules) takes a couple of hundred megabytes in
/// millions of small blocks, all freed once the tree has taken the roles into its store and the
/// answer is dropped. glibc keeps freed blocks for reuse and returns only the top of its heaps by
/// itself, so without this the process would stay that size for the whole session (see the
/// README's Performance section for the figures). `malloc_trim` releases every free page of every
/// arena, in a few milliseconds after such an answer and microseconds after a small one. Other
/// allocators return memory on their own, so elsewhere this does nothing.
pub(crate) fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn malloc_trim(pad: usize) -> std::ffi::c_int;
        }
        // SAFETY: the declaration is glibc's (`int malloc_trim(size_t pad)`); the call takes no
        // pointer, and works only on the allocator's own free lists under the allocator's locks,
        // so it is sound from any thread at any time.
        unsafe {
            malloc_trim(0);
        }
    }
}

/// Has every block of 256 KiB or more mapped on its own, for the whole run (the TUI calls it
/// before anything else).
///
/// glibc otherwise raises that threshold each time such a block is freed, up to 32 MiB; after a
/// large answer has been decoded and freed, the profile's big buffers (the tree's tokens, its
/// search index) then come from the middle of the heap, among the small blocks of the next
/// answer, and what [`release_freed_memory`] can give back depends on where they landed: resident
/// memory with the 1,000 × 50 profile varied between 26 and 44 MB from one run to the next, and
/// stays near 25 MB with this. Elsewhere this does nothing.
pub(crate) fn keep_large_blocks_apart() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn mallopt(param: std::ffi::c_int, value: std::ffi::c_int) -> std::ffi::c_int;
        }
        /// glibc's `M_MMAP_THRESHOLD` (malloc.h).
        const M_MMAP_THRESHOLD: std::ffi::c_int = -3;
        // SAFETY: the declaration is glibc's (`int mallopt(int param, int value)`); the call takes
        // no pointer and only sets an allocator parameter, under the allocator's lock.
        unsafe {
            mallopt(M_MMAP_THRESHOLD, 256 * 1024);
        }
    }
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

/// The favourite stacks, grouped by organisation.
pub fn settings_lines(user: &User) -> Vec<SettingsLine> {
    let favs = user.favorite_stacks();
    let mut out = vec![SettingsLine::Heading("Favourite stacks".into())];
    if favs.is_empty() {
        out.push(SettingsLine::Note("None. (Other settings, if any, are in the Raw tab.)".into()));
        return out;
    }
    let orgs = user.organizations.as_deref().unwrap_or(&[]);
    for (i, f) in favs.iter().enumerate() {
        if i > 0 {
            out.push(SettingsLine::Blank);
        }
        let name = orgs.iter().find(|o| o.uid == f.org_uid).and_then(|o| o.name.clone());
        out.push(SettingsLine::Org { uid: f.org_uid.clone(), name });
        if f.api_keys.is_empty() {
            out.push(SettingsLine::Note("no stacks".into()));
        }
        out.extend(f.api_keys.iter().cloned().map(SettingsLine::Stack));
    }
    out
}

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
            "settings": {"global": [{"key": "favorite_stacks", "value": [{"org_uid": "o2", "stacks": [{"api_key": "k1"}]}]}]}
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
    }

    #[test]
    fn settings_group_stacks_by_org() {
        let lines = settings_lines(&user());
        assert_eq!(
            lines,
            vec![
                SettingsLine::Heading("Favourite stacks".into()),
                SettingsLine::Org { uid: "o2".into(), name: Some("Shared Co".into()) },
                SettingsLine::Stack("k1".into()),
            ]
        );
    }

    #[test]
    fn scroll_stays_in_range() {
        let mut s = Scroll::default();
        s.by(-3, 10, 4);
        assert_eq!(s.offset, 0);
        s.by(100, 10, 4);
        assert_eq!(s.offset, 6);
        s.clamp(5, 4);
        assert_eq!(s.offset, 1);
        s.bottom(3, 10);
        assert_eq!(s.offset, 0);
    }

    /// Typing a filter on a large profile: the key draws the first results and asks for a beat;
    /// each beat takes a step and asks for the next until none remain; a key typed meanwhile
    /// restarts the filter without a second chain of beats; the end is the filter at once.
    #[test]
    fn a_filter_typed_on_a_large_profile_streams_in() {
        use crate::app::keymap::Keymap;
        use crate::app::msg::ApiResult;
        use crate::app::state::{App, RequestKind};
        use crate::app::{Effect, Msg, update};
        use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

        let key = |c| Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        let beats = |effects: &[Effect]| {
            effects
                .iter()
                .filter(|e| matches!(e, Effect::Timer { msg, .. } if matches!(**msg, Msg::Tick)))
                .count()
        };
        let mut app = App::new(Default::default(), Keymap::default(), Default::default(), (100, 30));
        let token = SecretString::from("blt0123456789abcdef");
        let id = app.start_request(RequestKind::CheckToken { token, remember: false });
        let mut user = User { uid: "u".into(), email: "a@b.c".into(), ..Default::default() };
        user.roles = crate::app::tree::fixtures::big(1000, 50);
        update(&mut app, Msg::Api { id, result: Box::new(ApiResult::User(Ok(user))) });
        update(&mut app, key('/'));
        assert_eq!(beats(&update(&mut app, key('e'))), 1, "a one-letter filter over 1,000 roles takes steps");
        let p = app.profile().expect("profile");
        assert!(p.tree.filtering() && !p.tree.is_empty(), "the first results are there at once");
        assert_eq!(beats(&update(&mut app, key('n'))), 0, "one chain of beats at a time");
        let mut steps = 0;
        while beats(&update(&mut app, Msg::Tick)) == 1 {
            steps += 1;
            assert!(steps < 1000, "the steps end");
        }
        let p = app.profile().expect("profile");
        assert!(!p.tree.filtering() && !p.filter_stepping);
        let mut at_once = ProfileTree::new(crate::app::tree::fixtures::big(1000, 50));
        at_once.set_filter("en");
        assert_eq!((p.tree.len(), p.tree.match_count()), (at_once.len(), at_once.match_count()));
        assert_eq!(
            p.tree.row(p.tree.selected()).map(|r| r.text()),
            at_once.row(at_once.selected()).map(|r| r.text())
        );
        // A beat with nothing to do does nothing.
        assert!(update(&mut app, Msg::Tick).is_empty());
    }

    #[test]
    fn tabs_wrap() {
        assert_eq!(Tab::Roles.step(-1), Tab::Raw);
        assert_eq!(Tab::Raw.step(1), Tab::Roles);
    }
}
