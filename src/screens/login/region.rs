//! The region list over the log-in form, and its custom-URL field.

use crossterm::event::KeyEvent;

use crate::api::{Endpoint, Region};
use crate::app::effect::Effect;
use crate::app::keymap::{Action, Context};
use crate::app::keys::Key;
use crate::app::state::{App, Screen};
use crate::screens::login::CUSTOM_ROW;
use crate::screens::login::RegionPicker;

pub(crate) fn on_key(app: &mut App, ev: &KeyEvent, key: Key) -> Option<Vec<Effect>> {
    let action = app.keymap.lookup(&[Context::Region, Context::Nav], key);
    let Screen::Login(l) = &mut app.screen else { return None };
    let picker = l.picker.as_mut()?;
    if let Some(field) = &mut picker.custom {
        match (key.is_text(), action) {
            (false, Some(Action::Select)) => match Endpoint::custom(field.value()) {
                Ok(endpoint) => {
                    app.endpoint = endpoint;
                    l.picker = None;
                    l.error = None;
                    l.last_attempt = None;
                }
                Err(sentence) => picker.error = Some(sentence),
            },
            (false, Some(Action::Close)) => {
                picker.kept_custom = picker.custom.take().filter(|f| !f.is_empty());
                picker.error = None;
            }
            _ => {
                if field.handle_key(ev) {
                    picker.error = None;
                }
            }
        }
        return Some(Vec::new());
    }
    let rows = RegionPicker::rows();
    match action? {
        Action::Up => picker.selected = (picker.selected + rows - 1) % rows,
        Action::Down => picker.selected = (picker.selected + 1) % rows,
        Action::Top | Action::PageUp => picker.selected = 0,
        Action::Bottom | Action::PageDown => picker.selected = rows - 1,
        Action::Select if picker.selected < CUSTOM_ROW => {
            app.endpoint = Endpoint::Region(Region::ALL[picker.selected]);
            l.picker = None;
            l.error = None;
            l.last_attempt = None;
        }
        Action::Select => picker.open_custom(&app.endpoint),
        Action::Close => l.picker = None,
        _ => return None,
    }
    Some(Vec::new())
}
