//! Requests and their answers through the real runner, against the demo server: every request
//! comes back as the reply its continuation makes, under its own id, with that continuation.

use std::collections::BTreeMap;
use std::time::Duration;

use cs_account::api::{ClientConfig, Endpoint, User, UserUpdate};
use cs_account::app::msg::{Msg, RequestId};
use cs_account::app::request::{
    Kind, OnAccountCheck, OnAccountLogout, OnAccounts, OnBrowser, OnLogin, OnLogout, OnNotice, OnOpenBrowser,
    OnOutbox, OnSave, OnSignIn, OnSms, OnStacks, OnSwitch, OnUser, Reply, Request,
};
use cs_account::app::state::Authed;
use cs_account::app::{Effect, EffectRunner};
use cs_account::demo::{DemoOptions, DemoServer};
use cs_account::screens::login::SessionSource;
use secrecy::SecretString;
use tokio_util::sync::CancellationToken;

/// The API call a request makes (`call`), and the one its reply answers (`answered`), from one
/// table: request variants / reply variant => call.
macro_rules! calls {
    ($($($request:ident)|+ / $reply:ident => $name:literal,)*) => {
        fn call(r: &Request) -> &'static str {
            match r {
                $($(Request::$request { .. })|+ => $name,)*
            }
        }

        fn answered(r: &Reply) -> &'static str {
            match r {
                $(Reply::$reply { .. } => $name,)*
            }
        }
    };
}

calls! {
    Login / Login => "log-in",
    Sms / Sms => "sms",
    GetUser / User => "get user",
    Logout / Logout => "log-out",
    Update / Save => "update",
    Forgot | Reset | Activate / Notice => "notice",
    Outbox / Outbox => "outbox",
    Stacks / Stacks => "stacks",
    Accounts / Accounts => "accounts",
    CheckAccount / AccountCheck => "check account",
    SwitchAccount / Switch => "switch",
    LogoutAccount / AccountLogout => "log out account",
    WaitForBrowser / Browser => "browser redirect",
    OpenBrowser / OpenBrowser => "open browser",
    SignIn / SignIn => "sign in",
}

#[tokio::test]
async fn each_request_comes_back_as_its_own_reply() {
    let server = DemoServer::start(DemoOptions { rate_limit: 0, ..Default::default() }).await.expect("demo");
    let endpoint = Endpoint::custom(&server.base_url()).expect("url");
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let cancel = CancellationToken::new();
    let mut runner = EffectRunner::new(ClientConfig::new(endpoint.clone()), None, tx, cancel.child_token())
        .without_browser();

    let secret = |s: &str| SecretString::from(s.to_string());
    let token = || secret("blt0000000000000000");
    let auth = || Authed {
        email: "a@b.c".into(),
        cred: token().into(),
        endpoint: endpoint.clone(),
        remember: false,
    };
    let (email, tfa_email) = ("john.doe@example.com".to_string(), "tfa.user@example.com".to_string());
    let login = |email: &str, code: Option<&str>| Request::Login {
        endpoint: endpoint.clone(),
        email: email.into(),
        password: secret("Demo-pass-1234"),
        tfa_token: code.map(str::to_string),
        then: OnLogin {
            email: email.into(),
            password: secret("Demo-pass-1234"),
            tfa: code.is_some(),
            remember: false,
        },
    };
    let sign_in = cs_account::api::signin::BrowserSignIn::new(&endpoint, Default::default());
    let get_user = |then| Request::GetUser { endpoint: endpoint.clone(), cred: token().into(), then };
    let requests = vec![
        login(&email, None),
        login(&tfa_email, Some("000000")),
        Request::Sms {
            endpoint: endpoint.clone(),
            email: tfa_email.clone(),
            password: secret("Demo-pass-1234"),
            then: OnSms,
        },
        get_user(OnUser::CheckToken { token: token(), remember: false }),
        get_user(OnUser::Resume { auth: auth(), source: SessionSource::Env }),
        get_user(OnUser::Resume { auth: auth(), source: SessionSource::Stored }),
        get_user(OnUser::LoadProfile { auth: auth(), login_user: Box::new(User::default()) }),
        get_user(OnUser::Refresh),
        Request::Logout { endpoint: endpoint.clone(), cred: token().into(), then: OnLogout::Logout },
        Request::Forgot {
            endpoint: endpoint.clone(),
            email: email.clone(),
            then: OnNotice::Forgot { email: email.clone() },
        },
        Request::Reset {
            endpoint: endpoint.clone(),
            token: token(),
            password: secret("Demo-pass-5678"),
            confirmation: secret("Demo-pass-5678"),
            then: OnNotice::Reset,
        },
        Request::Activate {
            endpoint: endpoint.clone(),
            token: token(),
            first_name: "A".into(),
            last_name: "B".into(),
            password: secret("Demo-pass-5678"),
            confirmation: secret("Demo-pass-5678"),
            then: OnNotice::Activate,
        },
        Request::Outbox { endpoint: endpoint.clone(), then: OnOutbox },
        Request::Update {
            endpoint: endpoint.clone(),
            cred: token().into(),
            changes: UserUpdate { company: Some("Acme".into()), ..Default::default() },
            then: OnSave,
        },
        get_user(OnUser::Check),
        Request::Stacks {
            endpoint: endpoint.clone(),
            cred: token().into(),
            organizations: Vec::new(),
            then: OnStacks,
        },
        // No session store here: the list is empty and the others say why.
        Request::Accounts { then: OnAccounts },
        Request::CheckAccount {
            endpoint: endpoint.clone(),
            email: email.clone(),
            then: OnAccountCheck { endpoint: endpoint.clone(), email: email.clone() },
        },
        Request::SwitchAccount {
            endpoint: endpoint.clone(),
            email: email.clone(),
            then: OnSwitch { endpoint: endpoint.clone(), email: email.clone() },
        },
        Request::LogoutAccount {
            endpoint: endpoint.clone(),
            email: email.clone(),
            then: OnAccountLogout { endpoint: endpoint.clone(), email: email.clone() },
        },
        // A redirect URL not on this computer: refused at once (nothing can listen for it).
        Request::WaitForBrowser {
            redirect_uri: "https://example.com/cb".into(),
            state: "s".into(),
            then: OnBrowser,
        },
        Request::OpenBrowser { url: sign_in.url.clone(), then: OnOpenBrowser },
        // A code the server never issued: refused by the token endpoint.
        Request::SignIn {
            endpoint: endpoint.clone(),
            sign_in: Box::new(sign_in.clone()),
            code: "code-never-issued".into(),
            then: OnSignIn { remember: false },
        },
    ];
    let mut sent = BTreeMap::new();
    for (i, request) in requests.into_iter().enumerate() {
        let id = RequestId(i as u64 + 1);
        sent.insert(id, (call(&request), request.kind()));
        runner.run(Effect::Request { id, request });
    }
    let mut kinds: Vec<Kind> = sent.values().map(|(_, k)| *k).collect();
    kinds.sort_by_key(|k| *k as usize);
    assert_eq!(kinds, Kind::ALL, "one request of every kind");

    let mut replies = BTreeMap::new();
    while replies.len() < sent.len() {
        let msg =
            tokio::time::timeout(Duration::from_secs(30), rx.recv()).await.expect("an answer").expect("open");
        let Msg::Api { id, reply } = msg else { continue };
        assert!(replies.insert(id, reply).is_none(), "one answer per request");
    }
    for (id, (call, kind)) in &sent {
        let reply = &replies[id];
        assert_eq!(answered(reply), *call, "request {id:?} ({kind:?}) answered as its own call");
        assert_eq!(reply.kind(), *kind, "request {id:?} came back with its continuation");
    }
    // The calls reached the server: the demo user logged in, the made-up token was refused.
    let Reply::Login { result, .. } = &*replies[&RequestId(1)] else { panic!("a log-in") };
    assert!(result.is_ok(), "{result:?}");
    let Reply::User { result, .. } = &*replies[&RequestId(4)] else { panic!("a user") };
    assert!(result.as_ref().is_err_and(|e| e.is_unauthorized()), "{result:?}");
    runner.shutdown(Duration::from_secs(5)).await;
    cancel.cancel();
}
