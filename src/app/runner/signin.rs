//! Browser sign-in's requests: the listener for the browser's redirect and opening the browser
//! (exchanging the code is one call, in `start`).

use super::EffectRunner;
use crate::api::ApiError;
use crate::app::msg::RequestId;
use crate::app::request::{OnBrowser, OnOpenBrowser, Then};

impl EffectRunner {
    pub(super) fn wait_for_browser(
        &mut self,
        id: RequestId,
        redirect_uri: String,
        state: String,
        then: OnBrowser,
    ) {
        tracing::info!(request = id.0, "waiting for the browser's redirect on 127.0.0.1");
        self.spawn_request(id, async move {
            // A sign-in started again binds the port its predecessor is letting go of:
            // give that a moment before calling the port taken.
            let mut listener = crate::api::redirect::RedirectListener::bind(&redirect_uri, &state).await;
            for _ in 0..5 {
                if !matches!(listener, Err(crate::api::redirect::ListenError::PortTaken(_))) {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                listener = crate::api::redirect::RedirectListener::bind(&redirect_uri, &state).await;
            }
            then.reply(match listener {
                Ok(l) => l.wait().await.map_err(|e| ApiError::Config(e.to_string())),
                Err(e) => Err(ApiError::Config(e.to_string())),
            })
        });
    }

    pub(super) fn open_browser(&mut self, id: RequestId, url: url::Url, then: OnOpenBrowser) {
        tracing::info!(request = id.0, "opening the browser");
        let allowed = self.browser;
        self.spawn_request(id, async move {
            if !allowed {
                return then.reply(Err(ApiError::Config("Opening a browser is off here".into())));
            }
            let opened = tokio::task::spawn_blocking(move || crate::api::signin::open_browser(&url)).await;
            then.reply(match opened {
                Ok(result) => result.map_err(ApiError::Config),
                Err(e) => Err(ApiError::Config(e.to_string())),
            })
        });
    }
}
