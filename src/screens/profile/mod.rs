//! The profile screen's state: the tab shown, each tab's position, and the data derived from
//! the user once per load (so a frame never re-serialises a large profile).

pub mod copy;
pub mod details;
pub mod hints;
pub mod layout;
pub mod permissions;
pub mod raw;
pub mod stacks;
pub mod stacks_tab;
pub mod tree;
pub mod update;
pub mod view;

use std::cell::{Cell, OnceCell};

use ratatui::layout::Rect;

use crate::api::Credential;
use crate::api::User;
use crate::api::profile_store::RuleStore;
use crate::app::field::TextField;
use crate::screens::profile::details::Details;
use crate::screens::profile::permissions::Permissions;
use crate::screens::profile::raw::{RawJson, RawSearch, RawTab};
use crate::screens::profile::stacks_tab::{StackRow, StacksTab};
use crate::screens::profile::tree::ProfileTree;

mod lists;

pub use lists::{OrgRelation, OrgRow, RowList, SettingsLine, org_rows, settings_lines};

/// The profile's tabs, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Roles,
    Permissions,
    Orgs,
    Settings,
    Raw,
    Stacks,
}

impl Tab {
    pub const ALL: [Tab; 6] = [Tab::Roles, Tab::Permissions, Tab::Orgs, Tab::Settings, Tab::Raw, Tab::Stacks];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Roles => "Roles",
            Tab::Permissions => "Permissions",
            Tab::Orgs => "Organisations",
            Tab::Settings => "Settings",
            Tab::Raw => "Raw",
            Tab::Stacks => "Stacks",
        }
    }

    /// The title when space is short: common abbreviations, never a word cut short.
    pub fn short_title(self) -> &'static str {
        match self {
            Tab::Roles => "Roles",
            Tab::Permissions => "Perms",
            Tab::Orgs => "Orgs",
            Tab::Settings => "Settings",
            Tab::Raw => "Raw",
            Tab::Stacks => "Stacks",
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

/// Everything the profile screen shows besides the user itself.
#[derive(Debug)]
pub struct ProfileState {
    pub tab: Tab,
    /// The roles tree (expansion, selection, filter live in it). It owns the roles: the
    /// session's user is kept without them, so a large profile is held once.
    pub tree: ProfileTree,
    /// Each module's rights, united over the roles: built the first time the Permissions tab
    /// (or anything else) asks for it, with the filter as it is then. Built with the tree, it
    /// was two fifths of the time between a 1,000-role profile's answer and its first frame,
    /// for a tab most visits never open. See [`ProfileState::perms`].
    perms: OnceCell<Permissions>,
    /// The filter as typed: one for the whole profile, applied to every tab on every change
    /// (the lists narrow to it, the Raw tab searches for it).
    pub filter: TextField,
    /// Whether the filter field has the keyboard.
    pub editing_filter: bool,
    pub orgs: Vec<OrgRow>,
    /// The organisations the filter shows, and the selected one.
    pub orgs_list: RowList,
    pub settings: Vec<SettingsLine>,
    /// The settings lines the filter shows, and the selected one.
    pub settings_list: RowList,
    /// The Raw tab: the JSON and where it is scrolled to.
    pub raw: RawTab,
    /// The details popup of the selected row, when open (`i`).
    pub details: Option<DetailsState>,
    /// A filter is being applied in steps and the app has asked for the next one (see
    /// [`ProfileState::apply_filter_in_steps`]), so another request would only duplicate it.
    pub filter_stepping: bool,
    /// The Stacks tab: the stacks listed and the tab's rows.
    pub stacks: StacksTab,
    /// The area the view last drew the profile in: what `update` measures pages by.
    pub area: Cell<Rect>,
    /// The area every position was last kept inside (see `update::fit_to_viewport`): when the
    /// view draws at another size, the next key fits them first.
    pub fitted: Rect,
}

/// How the stacks call that follows the profile went (its answer is in
/// [`ProfileState::stacks`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum StacksStatus {
    /// Asked, not answered yet.
    #[default]
    Loading,
    /// Answered: every stack listed (organisations that refused are said in a toast).
    Loaded,
    /// Failed, with why in the user's words; `S` asks again.
    Failed(String),
}

/// The details popup: what it shows, made when it opened (a right granted by a thousand roles
/// has thousands of lines, not worth making again for each frame), and its scroll position.
#[derive(Debug, Clone)]
pub struct DetailsState {
    pub details: Details,
    /// The first line shown (the view shows it clamped to the text, as `ListState` does).
    pub scroll: usize,
    /// What the view last drew: lines visible at once, and lines in all (none before the first
    /// frame).
    pub drawn: Cell<Option<(usize, usize)>>,
}

/// The same popup: what it shows and where it is scrolled to (what a frame drew of it is not
/// part of it).
impl PartialEq for DetailsState {
    fn eq(&self, other: &Self) -> bool {
        self.details == other.details && self.scroll == other.scroll
    }
}

impl Eq for DetailsState {}

impl ProfileState {
    /// The profile of `user`, whose roles have been moved out into `roles`.
    pub fn new(user: &User, roles: impl Into<RuleStore>) -> Self {
        let tree = ProfileTree::new(roles);
        let (orgs, settings) = (org_rows(user), settings_lines(user, &[]));
        ProfileState {
            tab: Tab::Roles,
            tree,
            perms: OnceCell::new(),
            filter: TextField::plain(),
            editing_filter: false,
            orgs_list: RowList::all(orgs.len()),
            orgs,
            settings_list: RowList::all(settings.len()),
            settings,
            raw: RawTab::default(),
            details: None,
            filter_stepping: false,
            stacks: StacksTab::default(),
            area: Cell::new(Rect::default()),
            fitted: Rect::default(),
        }
    }

    /// The permissions view, built now if it was not yet.
    pub fn perms(&self) -> &Permissions {
        self.perms.get_or_init(|| built_perms(&self.tree, self.filter.value()))
    }

    /// The permissions view to change, built now if it was not yet.
    pub fn perms_mut(&mut self) -> &mut Permissions {
        if self.perms.get().is_none() {
            self.perms = OnceCell::from(built_perms(&self.tree, self.filter.value()));
        }
        self.perms.get_mut().expect("built just above")
    }

    /// Builds the permissions view again from the tree (its roles or their stacks changed), if
    /// it was built: at once, to keep its selection on what it showed.
    pub fn rebuild_perms(&mut self) {
        let Some(old) = self.perms.take() else { return };
        let key = old.selected_key();
        drop(old);
        let perms = self.perms_mut();
        if let Some(key) = key {
            perms.select_key(&key);
        }
    }

    /// The permissions view if it was built (nothing to keep in view or select otherwise).
    pub fn perms_if_built(&mut self) -> Option<&mut Permissions> {
        self.perms.get_mut()
    }

    /// Whether the filter field has the keyboard.
    pub fn filtering(&self) -> bool {
        self.editing_filter
    }

    /// Whether the filter line shows (being typed, or set).
    pub fn filter_visible(&self) -> bool {
        self.editing_filter || !self.filter.is_empty()
    }

    /// Applies the filter field's text to every tab, all at once (a paste, a clear).
    pub fn apply_filter(&mut self) {
        self.apply_filter_in_steps();
        self.tree.finish_filter();
        self.finish_raw_search();
    }

    /// Applies the filter field's text as a keystroke should: the small lists, the permissions
    /// and the first step of the tree's filter and the Raw tab's search at once, so the key's
    /// frame shows the first results within a millisecond or two whatever the profile's size.
    /// Returns whether steps are left, which [`ProfileState::continue_filter`] takes one per
    /// message, the app drawing in between.
    pub fn apply_filter_in_steps(&mut self) -> bool {
        let query = self.filter.value().to_string();
        if let Some(perms) = self.perms.get_mut() {
            perms.set_filter(&query);
        }
        self.orgs_list.filter_orgs(&self.orgs, &query);
        self.settings_list.filter_settings(&self.settings, &query);
        self.stacks.list.filter_items(&self.stacks.rows, &query, StackRow::matches);
        let tree = self.tree.start_filter(&query);
        let raw = self.sync_raw_search();
        tree || raw
    }

    /// Takes the next step of the tree's filter and of the Raw tab's search; returns whether
    /// more remain.
    pub fn continue_filter(&mut self) -> bool {
        let tree = self.tree.continue_filter();
        let raw = match &self.raw.json {
            Some(raw) => self.raw.search.step(raw, &self.tree),
            None => false,
        };
        tree || raw
    }

    /// Starts the Raw tab's search over when the filter changed since it ran, while the Raw tab
    /// shows (elsewhere it waits: most filters are never searched for in the raw JSON). It
    /// starts from the first line shown, so the view can go to the next match at once. Returns
    /// whether steps are left.
    pub fn sync_raw_search(&mut self) -> bool {
        let Some(raw) = self.raw.json.as_ref().filter(|_| self.tab == Tab::Raw) else { return false };
        if !self.raw.search.is_for(self.filter.value()) {
            self.raw.search.start(self.filter.value(), self.raw.scroll.offset, raw, &self.tree);
        }
        self.raw.search.scanning()
    }

    /// Takes every step left of the Raw tab's search (on a paste, or after a reload).
    fn finish_raw_search(&mut self) {
        if let Some(raw) = &self.raw.json {
            self.raw.search.finish(raw, &self.tree);
        }
    }

    /// The details of the selected row of the current tab (`None` for the Raw tab, whose
    /// lines wrap instead, or an empty list).
    pub fn selected_details(&self) -> Option<Details> {
        match self.tab {
            Tab::Roles => self.tree.selected_details(),
            Tab::Permissions => self.perms().selected_details(),
            Tab::Orgs => self.orgs.get(self.orgs_list.selected_item()?).map(OrgRow::details),
            Tab::Settings => lists::settings_details(&self.settings, self.settings_list.selected_item()?),
            Tab::Stacks => self.stacks.rows.get(self.stacks.list.selected_item()?).map(StackRow::details),
            Tab::Raw => None,
        }
    }

    /// Makes the Stacks tab's rows again (the stacks call answered, or the roles changed),
    /// keeping its selection and filter. None until the call answered: the tab says why.
    pub fn refresh_stack_rows(&mut self, user: &User) {
        self.settings = settings_lines(user, &self.stacks.listed);
        self.settings_list.filter_settings(&self.settings, self.filter.value());
        self.stacks.rows = match self.stacks.status {
            StacksStatus::Loaded => stacks_tab::stack_rows(user, &self.stacks.listed, &self.tree),
            _ => Vec::new(),
        };
        self.stacks.list.filter_items(&self.stacks.rows, self.filter.value(), StackRow::matches);
    }

    /// Takes a fresh copy of the user (roles moved out into `roles`), keeping the tab and every
    /// position: the tree keeps what was expanded and selected, and its filter.
    pub fn load(&mut self, user: &User, roles: impl Into<RuleStore>) {
        self.tree.rebuild(roles);
        self.rebuild_perms();
        self.orgs = org_rows(user);
        self.orgs_list.filter_orgs(&self.orgs, self.filter.value());
        self.settings = settings_lines(user, &self.stacks.listed);
        self.settings_list.filter_settings(&self.settings, self.filter.value());
        self.refresh_stack_rows(user);
        self.raw.json = None;
        self.raw.search = RawSearch::default();
        // An open popup shows the reloaded row (or closes if it is gone).
        if self.details.is_some() {
            let scroll = self.details.as_ref().map_or(0, |d| d.scroll);
            self.open_details();
            if let Some(state) = &mut self.details {
                state.scroll = scroll;
            }
        }
    }

    /// Opens the details popup on the selected row, if the tab has one.
    pub fn open_details(&mut self) {
        self.details = self.selected_details().map(|details| DetailsState {
            details,
            scroll: 0,
            drawn: Cell::new(None),
        });
    }

    /// Builds the raw JSON if it is not built yet, and on the Raw tab starts searching it for
    /// the filter; returns whether the search has steps left.
    pub fn show_raw(&mut self, user: &User, token: &Credential) -> bool {
        if self.raw.json.is_none() {
            self.raw.json = Some(RawJson::build(user, &self.tree, token));
        }
        self.sync_raw_search()
    }

    /// [`ProfileState::show_raw`], searching all at once: for a reload while the Raw tab shows.
    pub fn ensure_raw(&mut self, user: &User, token: &Credential) {
        self.show_raw(user, token);
        self.finish_raw_search();
    }

    /// Lines of the raw JSON (0 until built).
    pub fn raw_len(&self) -> usize {
        self.raw.json.as_ref().map_or(0, RawJson::len)
    }
}

crate::screens::screen_state!(ProfileState, paste);

/// The permissions of `tree`, filtered by `filter`.
fn built_perms(tree: &ProfileTree, filter: &str) -> Permissions {
    let mut perms = Permissions::from_tree(tree);
    perms.set_filter(filter);
    perms
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screens::profile::tree::Rows;
    use secrecy::SecretString;

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
        use crate::app::request::{Lives, OnUser, Request, ScreenTag, Then};
        use crate::app::state::App;
        use crate::app::{Effect, Msg, update};
        use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

        let key = |c| Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        let beats = |effects: &[Effect]| {
            effects
                .iter()
                .filter(|e| matches!(e, Effect::Timer { msg, .. } if matches!(**msg, Msg::Tick)))
                .count()
        };
        let mut app = App::new(Default::default(), Keymap::default(), (100, 30));
        let token = SecretString::from("blt0123456789abcdef");
        let then = OnUser::CheckToken { token: token.clone(), remember: false };
        let request =
            Request::GetUser { endpoint: Default::default(), cred: token.into(), then: then.clone() };
        let Effect::Request { id, .. } = app.request(Lives::Screen(ScreenTag::Login), request) else {
            panic!("a request")
        };
        let mut user = User { uid: "u".into(), email: "a@b.c".into(), ..Default::default() };
        user.roles = crate::screens::profile::tree::fixtures::big(1000, 50);
        update(&mut app, Msg::Api { id, reply: Box::new(then.reply(Ok(user.into()))) });
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
        let mut at_once = ProfileTree::new(crate::screens::profile::tree::fixtures::big(1000, 50));
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
        assert_eq!(Tab::Roles.step(-1), Tab::Stacks);
        assert_eq!(Tab::Stacks.step(1), Tab::Roles);
    }
}
