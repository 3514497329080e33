//! Strings back to back in one buffer (see [`Texts`]): the permissions view's role names and
//! target summaries, each kept once.

use std::collections::HashMap;

use crate::api::profile_store::FxBuild;

/// Strings back to back in one buffer, by index; identical ones stored once.
#[derive(Debug, Default)]
pub(super) struct Texts {
    text: String,
    ends: Vec<u32>,
    /// Only while building: the index of each string added so far.
    seen: HashMap<String, u32, FxBuild>,
}

impl Texts {
    /// Appends `s`; returns its index.
    pub(super) fn push(&mut self, s: &str) -> u32 {
        self.text.push_str(s);
        self.ends.push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        u32::try_from(self.ends.len() - 1).unwrap_or(u32::MAX)
    }

    /// The index of `s`, appended if it is not there yet.
    pub(super) fn add(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.seen.get(s) {
            return i;
        }
        let i = self.push(s);
        self.seen.insert(s.to_string(), i);
        i
    }

    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    pub(super) fn get(&self, i: u32) -> &str {
        let i = i as usize;
        let start = if i == 0 { 0 } else { self.ends.get(i - 1).map_or(0, |&e| e as usize) };
        let end = self.ends.get(i).map_or(0, |&e| e as usize);
        self.text.get(start..end).unwrap_or("")
    }

    /// Drops the lookup table and spare capacity once building is done.
    pub(super) fn finish(&mut self) {
        self.seen = HashMap::default();
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}
