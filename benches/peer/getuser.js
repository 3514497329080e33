// The official JS SDK's bare `getUser`, for comparing with `cs-account whoami` on the same server
// and token (benches/budgets.sh installs the SDK from package-lock.json and runs this).
//   CS_TOKEN=… node getuser.js 127.0.0.1:PORT
const cs = require('@contentstack/management');

const client = cs.client({
  endpoint: `http://${process.argv[2]}/{api-version}`,
  authtoken: process.env.CS_TOKEN,
  logHandler: () => {},
});
client
  .getUser()
  .then((u) => process.stdout.write(`${u.email}\n`))
  .catch((e) => {
    console.error(e.message || e);
    process.exit(1);
  });
