//! The application: its state, messages, `update`, effects and keymap.
