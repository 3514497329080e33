#!/usr/bin/env python3
"""Drives cs-account's demo server with Contentstack's official Python SDK, unchanged.

Usage: python_sdk.py http://127.0.0.1:PORT

Needs `pip install contentstack-management pyotp` (1.11.2 imports pyotp without declaring it).
Run by the ignored test `python_sdk_conformance` in tests/demo_server.rs, which starts a server:
    CS_PYTHON=/tmp/venv/bin/python cargo test --test demo_server -- --ignored python_sdk

Checks login -> fetch user -> update(company) -> logout -> fetch (401), plus the 2FA login with
the SDK's own TOTP (mfa_secret), forgot_password, and activate with a token from /demo/outbox.
Prints one line per step and exits non-zero on the first failure.
"""

import json
import sys
import urllib.parse
import urllib.request

import contentstack_management

JOHN = "john.doe@example.com"
TFA = "tfa.user@example.com"
NEW = "new.user@example.com"
PASSWORD = "Demo-pass-1234"
TFA_SECRET = "UJV5XUFA63AN2Z6FRGLPVLSWG43VP6UY"


def check(step, ok, detail=""):
    print(f"{'ok  ' if ok else 'FAIL'} {step}{': ' + detail if detail else ''}", flush=True)
    if not ok:
        sys.exit(1)


def client_for(base):
    url = urllib.parse.urlparse(base)
    return contentstack_management.Client(host=url.netloc, scheme=f"{url.scheme}://")


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    base = sys.argv[1].rstrip("/")
    print(f"contentstack-management {contentstack_management.__version__} against {base}")

    client = client_for(base)
    res = client.login(JOHN, PASSWORD)
    body = res.json()
    check("login", res.status_code == 200 and body["user"]["email"] == JOHN, body.get("notice", ""))
    token = client.authtoken
    check("the SDK stored the authtoken", isinstance(token, str) and token.startswith("blt"))

    res = client.user().fetch()
    user = res.json().get("user", {})
    check("fetch user", res.status_code == 200 and user.get("email") == JOHN and user.get("authtoken") == token)

    res = client.user().update({"user": {"company": "Python SDK Inc."}})
    body = res.json()
    check(
        "update company",
        res.status_code == 200 and body["user"]["company"] == "Python SDK Inc.",
        body.get("notice", ""),
    )
    res = client.user().fetch()
    check("the update was stored", res.json()["user"]["company"] == "Python SDK Inc.")

    res = client.user().update({"user": {"mobile_number": "12ab"}})
    body = res.json()
    check(
        "validation errors come back as 422 with errors",
        res.status_code == 422 and "mobile_number" in body.get("errors", {}),
        body.get("error_message", ""),
    )

    res = client.user().forgot_password({"user": {"email": JOHN}})
    check("forgot_password", res.status_code == 200, res.json().get("notice", ""))

    try:
        res = client.logout()
        check("logout", res.status_code == 200, res.json().get("notice", ""))
    except TypeError as err:
        # The SDK's UserSession.logout does `headers.update['authtoken'] = ...` and raises before
        # sending anything. Send the same request through the SDK's own HTTP client instead.
        print(f"note the SDK's logout() is broken ({err}); sending its DELETE by hand")
        res = client.client.delete("user-session", headers=client.client.headers)
        check("logout (DELETE user-session)", res.status_code == 200, res.json().get("notice", ""))

    res = client.user().fetch()
    body = res.json()
    check(
        "fetch after logout is refused",
        res.status_code == 401 and body.get("error_code") == 105,
        body.get("error_message", ""),
    )

    tfa = client_for(base)
    res = tfa.login(TFA, PASSWORD)
    body = res.json()
    check(
        "2FA login without a code asks for one",
        res.status_code == 422 and body.get("error_code") == 294 and body.get("tfa_type") == "totp_authenticator",
    )
    res = tfa.login(TFA, PASSWORD, mfa_secret=TFA_SECRET)
    check("2FA login with the SDK's TOTP (pyotp)", res.status_code == 200, res.json().get("notice", ""))

    with urllib.request.urlopen(f"{base}/demo/outbox?kind=activation") as r:
        messages = json.load(r)["messages"]
    activation = next(m for m in messages if m["to"] == NEW)
    fresh = client_for(base)
    body = {"user": {"first_name": "Py", "last_name": "Thon", "password": "Py-thon-2024", "password_confirmation": "Py-thon-2024"}}
    res = fresh.user().activate(activation["token"], body)
    check("activate", res.status_code == 200, res.json().get("notice", ""))
    res = fresh.login(NEW, "Py-thon-2024")
    check("the activated user logs in", res.status_code == 200 and res.json()["user"]["first_name"] == "Py")
    print("all Python SDK checks passed")


if __name__ == "__main__":
    main()
