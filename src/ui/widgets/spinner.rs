//! The busy indicator: a braille spinner advanced by the loop's tick while a request runs.

const FRAMES: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// The symbol for a spinner frame.
pub fn frame(n: usize) -> &'static str {
    FRAMES[n % FRAMES.len()]
}
