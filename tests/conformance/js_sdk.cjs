#!/usr/bin/env node
// Drives cs-account's demo server with Contentstack's official JS SDK, unchanged.
//
// Usage: NODE_PATH=/tmp/js/node_modules node js_sdk.cjs http://127.0.0.1:PORT
// (after `npm install @contentstack/management` in /tmp/js). Run by the ignored test
// `js_sdk_conformance` in tests/demo_server.rs, which starts a server:
//   CS_NODE_PATH=/tmp/js/node_modules cargo test --test demo_server -- --ignored js_sdk
//
// Checks login -> getUser -> user.update() (which PUTs the whole user object back) -> logout ->
// getUser (401), and the 2FA answers the SDK's own tests expect (422 + 294, 422 + 295).
// Prints one line per step and exits non-zero on the first failure.

const contentstack = require('@contentstack/management')

const JOHN = 'john.doe@example.com'
const TFA = 'tfa.user@example.com'
const PASSWORD = 'Demo-pass-1234'

function check (step, ok, detail) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${step}${detail ? ': ' + detail : ''}`)
  if (!ok) process.exit(1)
}

async function expectError (step, promise, status, code) {
  try {
    await promise
    check(step, false, 'no error')
  } catch (err) {
    check(step, err.status === status && err.errorCode === code, `${err.status} ${err.errorCode} ${err.errorMessage}`)
    return err
  }
}

async function main () {
  const base = (process.argv[2] || '').replace(/\/$/, '')
  if (!base) {
    console.log('usage: js_sdk.cjs http://127.0.0.1:PORT')
    process.exit(2)
  }
  const endpoint = `${base}/v3`
  // No retries: a refused request must reach this script as it came.
  const client = contentstack.client({ endpoint, retryOnError: false, retryLimit: 0, timeout: 5000 })

  const login = await client.login({ email: JOHN, password: PASSWORD }, { include_orgs_roles: true })
  check('login', login.notice === 'Login Successful.' && login.user.email === JOHN, login.notice)

  const user = await client.getUser({ include_orgs_roles: true })
  check('getUser', user.email === JOHN && typeof user.update === 'function', 'user has update() (authtoken present)')
  check('organizations', Array.isArray(user.organizations) && user.organizations.length > 0)

  user.company = 'JS SDK Inc.'
  const updated = await user.update()
  check('user.update() with the whole object', updated.company === 'JS SDK Inc.' && updated.email === JOHN)
  const again = await client.getUser()
  check('the update was stored', again.company === 'JS SDK Inc.' && again.roles.length === user.roles.length)

  const out = await client.logout()
  check('logout', out.notice === "You've logged out successfully!", out.notice)
  const stale = contentstack.client({ endpoint, authtoken: login.user.authtoken, retryOnError: false })
  await expectError('getUser after logout', stale.getUser(), 401, 105)

  const tfa = contentstack.client({ endpoint, retryOnError: false })
  const need = await expectError('2FA required', tfa.login({ email: TFA, password: PASSWORD }), 422, 294)
  check('tfa_type', need && need.tfa_type === 'totp_authenticator')
  await expectError('wrong 2FA code', tfa.login({ email: TFA, password: PASSWORD, tfa_token: '000000' }), 422, 295)
  const ok = await tfa.login({ email: TFA, password: PASSWORD, mfaSecret: process.env.TFA_SECRET })
  check("2FA login with the SDK's TOTP (mfaSecret)", ok.notice === 'Login Successful.')
  console.log('all JS SDK checks passed')
}

main().catch((err) => {
  console.log('FAIL unexpected error:', err && (err.errorMessage || err.message || err))
  process.exit(1)
})
