//! Runs the real event loop against a server, with a channel for terminal input and a
//! recording backend: the test sees every frame drawn and counts them.

use std::convert::Infallible;
use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use cs_account::api::{ClientConfig, Endpoint};
use cs_account::app::run::{TuiOptions, initial_app, start};
use cs_account::app::{App, EffectRunner, run_loop};
use cs_account::config::Config;
use cs_account::store::SessionStore;
use cs_account::store::drafts::DraftStore;
use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, TestBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// A `TestBackend` that publishes the screen after every frame and counts frames.
pub struct Recorder {
    inner: TestBackend,
    screen: Arc<Mutex<String>>,
    draws: Arc<AtomicU64>,
}

impl Recorder {
    fn publish(&self) {
        let buf = self.inner.buffer();
        let mut text = String::new();
        for y in 0..buf.area.height {
            for x in 0..buf.area.width {
                text.push_str(buf[(x, y)].symbol());
            }
            text.push('\n');
        }
        if let Ok(mut s) = self.screen.lock() {
            *s = text;
        }
    }
}

impl Backend for Recorder {
    type Error = Infallible;

    fn draw<'a, I: Iterator<Item = (u16, u16, &'a Cell)>>(&mut self, content: I) -> Result<(), Infallible> {
        self.inner.draw(content)
    }
    fn hide_cursor(&mut self) -> Result<(), Infallible> {
        self.inner.hide_cursor()
    }
    fn show_cursor(&mut self) -> Result<(), Infallible> {
        self.inner.show_cursor()
    }
    fn get_cursor_position(&mut self) -> Result<Position, Infallible> {
        self.inner.get_cursor_position()
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Infallible> {
        self.inner.set_cursor_position(position)
    }
    fn clear(&mut self) -> Result<(), Infallible> {
        self.inner.clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Infallible> {
        self.inner.clear_region(clear_type)
    }
    fn size(&self) -> Result<Size, Infallible> {
        self.inner.size()
    }
    fn window_size(&mut self) -> Result<WindowSize, Infallible> {
        self.inner.window_size()
    }
    fn flush(&mut self) -> Result<(), Infallible> {
        self.inner.flush()?;
        self.publish();
        self.draws.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

/// The app running in its loop.
pub struct Harness {
    input: UnboundedSender<io::Result<Event>>,
    screen: Arc<Mutex<String>>,
    draws: Arc<AtomicU64>,
    cancel: CancellationToken,
    task: JoinHandle<App>,
}

/// What to start the app with.
pub struct Setup {
    pub endpoint: Endpoint,
    pub store: Option<SessionStore>,
    /// Where the runner keeps drafts (`None`: nowhere).
    pub drafts: Option<DraftStore>,
    pub config: Config,
    pub demo: bool,
    pub size: (u16, u16),
}

impl Setup {
    pub fn new(base_url: &str) -> Self {
        Setup {
            endpoint: Endpoint::custom(base_url).expect("loopback URL"),
            store: None,
            drafts: None,
            config: Config::default(),
            demo: false,
            size: (80, 24),
        }
    }
}

impl Harness {
    pub fn start(setup: Setup) -> Harness {
        let opts = TuiOptions {
            endpoint: setup.endpoint.clone(),
            store: setup.store.clone(),
            drafts: setup.drafts.clone(),
            config: setup.config,
            env_token: None,
            demo: setup.demo.then(cs_account::commands::demo::demo_info),
        };
        let (mut app, problems) = initial_app(&opts, setup.size);
        let (tx, rx) = unbounded_channel();
        let (input, mut input_rx) = unbounded_channel::<io::Result<Event>>();
        let cancel = CancellationToken::new();
        let mut cfg = ClientConfig::new(setup.endpoint);
        cfg.timeout = Duration::from_secs(10);
        // No browser is ever started by a test.
        let mut runner = EffectRunner::new(cfg, setup.store, tx, cancel.child_token()).without_browser();
        if let Some(drafts) = setup.drafts {
            runner = runner.with_drafts(drafts);
        }
        if setup.demo {
            runner = runner.with_demo_code(cs_account::demo::totp_now);
        }
        for effect in start(&mut app, &opts, problems) {
            runner.run(effect);
        }
        let screen = Arc::new(Mutex::new(String::new()));
        let draws = Arc::new(AtomicU64::new(0));
        let backend = Recorder {
            inner: TestBackend::new(setup.size.0, setup.size.1),
            screen: screen.clone(),
            draws: draws.clone(),
        };
        let loop_cancel = cancel.clone();
        let task = tokio::spawn(async move {
            let mut terminal = Terminal::new(backend).expect("terminal");
            let stream = futures::stream::poll_fn(move |cx| input_rx.poll_recv(cx));
            let result = run_loop(
                &mut terminal,
                &mut app,
                &cs_account::ui::theme::Theme::default(),
                stream,
                &mut runner,
                rx,
                loop_cancel,
            )
            .await;
            runner.shutdown(Duration::from_secs(2)).await;
            result.expect("the loop ends cleanly");
            app
        });
        Harness { input, screen, draws, cancel, task }
    }

    fn send(&self, event: Event) {
        let _ = self.input.send(Ok(event));
    }

    pub fn key(&self, code: KeyCode) {
        self.send(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    pub fn ch(&self, c: char) {
        let mods = if c.is_ascii_uppercase() { KeyModifiers::SHIFT } else { KeyModifiers::NONE };
        self.send(Event::Key(KeyEvent::new(KeyCode::Char(c), mods)));
    }

    pub fn ctrl(&self, c: char) {
        self.send(Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)));
    }

    pub fn type_text(&self, text: &str) {
        for c in text.chars() {
            self.ch(c);
        }
    }

    pub fn paste(&self, text: &str) {
        self.send(Event::Paste(text.to_string()));
    }

    pub fn resize(&self, w: u16, h: u16) {
        self.send(Event::Resize(w, h));
    }

    /// The last frame drawn.
    pub fn screen(&self) -> String {
        self.screen.lock().map(|s| s.clone()).unwrap_or_default()
    }

    pub fn draws(&self) -> u64 {
        self.draws.load(Ordering::SeqCst)
    }

    /// Waits until the screen shows `text`; panics with the screen if it does not within 10 s.
    pub async fn wait_for(&self, text: &str) {
        let found = super::wait_until(Duration::from_secs(10), || self.screen().contains(text)).await;
        assert!(found, "the screen never showed {text:?}; it shows:\n{}", self.screen());
    }

    /// Presses `key` (a key code or a character), then waits until the screen shows `text`.
    pub async fn press_and_wait_for(&self, key: impl Press, text: &str) {
        key.press(self);
        self.wait_for(text).await;
    }

    /// Waits until the screen no longer shows `text`.
    pub async fn wait_gone(&self, text: &str) {
        let gone = super::wait_until(Duration::from_secs(10), || !self.screen().contains(text)).await;
        assert!(gone, "the screen still shows {text:?}:\n{}", self.screen());
    }

    /// Quits with ctrl-c and returns the app's final state.
    pub async fn quit(self) -> App {
        self.ctrl('c');
        self.finish().await
    }

    /// Ends the input (as a closed terminal would) and returns the app's final state.
    pub async fn finish(self) -> App {
        drop(self.input);
        let app = tokio::time::timeout(Duration::from_secs(10), self.task)
            .await
            .expect("the loop ends")
            .expect("the loop task does not panic");
        self.cancel.cancel();
        app
    }
}

/// A key [`Harness::press_and_wait_for`] can press: a key code, or a character typed as
/// [`Harness::ch`] types it.
pub trait Press {
    fn press(self, h: &Harness);
}

impl Press for KeyCode {
    fn press(self, h: &Harness) {
        h.key(self);
    }
}

impl Press for char {
    fn press(self, h: &Harness) {
        h.ch(self);
    }
}

/// A demo server without a rate limit (tests send many requests at once).
pub async fn demo_server() -> cs_account::demo::DemoServer {
    let opts = cs_account::demo::DemoOptions { rate_limit: 0, ..Default::default() };
    cs_account::demo::DemoServer::start(opts).await.expect("demo server")
}

/// A fresh demo server and the app on it, its log-in form showing.
pub async fn on_login_form() -> (cs_account::demo::DemoServer, Harness) {
    let server = demo_server().await;
    let h = Harness::start(Setup::new(&server.base_url()));
    h.wait_for("Log in to Contentstack").await;
    (server, h)
}
