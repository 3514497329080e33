//! Reading what the user types: visible answers, hidden passwords, and lines from stdin.

use std::io::{BufRead, IsTerminal, Write};

use secrecy::SecretString;
use zeroize::Zeroize;

use super::Failure;

/// Whether prompts can be shown (stdin is a terminal).
pub fn interactive() -> bool {
    std::io::stdin().is_terminal()
}

/// Asks for a visible answer on the terminal.
pub fn ask(question: &str) -> Result<String, Failure> {
    if !interactive() {
        return Err(Failure::usage(format!("{question} is needed, and stdin is not a terminal to ask on.")));
    }
    eprint!("{question}: ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(|e| Failure::other(e.to_string()))?;
    Ok(line.trim().to_string())
}

/// Asks for a hidden answer (a password) on the terminal.
pub fn ask_secret(question: &str) -> Result<SecretString, Failure> {
    if !interactive() {
        return Err(Failure::usage(format!(
            "{question} is needed, and stdin is not a terminal to ask on (see --help for the stdin option)."
        )));
    }
    let mut s =
        rpassword::prompt_password(format!("{question}: ")).map_err(|e| Failure::other(e.to_string()))?;
    let secret = SecretString::from(s.trim_end_matches(['\r', '\n']).to_string());
    s.zeroize();
    Ok(secret)
}

/// Reads lines from stdin, one at a time, for the `--…-stdin` options.
pub struct StdinLines {
    lines: std::io::Lines<std::io::StdinLock<'static>>,
}

impl StdinLines {
    pub fn new() -> Self {
        StdinLines { lines: std::io::stdin().lock().lines() }
    }

    /// The next line as a secret, without its line ending; an error naming `what` if stdin ended.
    pub fn secret(&mut self, what: &str) -> Result<SecretString, Failure> {
        match self.lines.next() {
            Some(Ok(mut line)) => {
                let s = SecretString::from(line.trim_end_matches('\r').to_string());
                line.zeroize();
                Ok(s)
            }
            Some(Err(e)) => Err(Failure::other(format!("Could not read {what} from stdin: {e}"))),
            None => Err(Failure::usage(format!("stdin ended before {what}."))),
        }
    }

    /// The next line as plain text, or `None` if stdin ended.
    pub fn text(&mut self) -> Option<String> {
        self.lines.next().and_then(Result::ok).map(|l| l.trim().to_string())
    }
}
