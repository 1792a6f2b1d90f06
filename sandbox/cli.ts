/* eslint-disable @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// `npm run sandbox`: both sandboxes with seed data on fixed ports (XERO_SANDBOX_PORT 4010, COMMUSOFT_SANDBOX_PORT
// 4020, SANDBOX_HOST 127.0.0.1), prints the URLs and demo credentials, stops on Ctrl-C. Other knobs: SANDBOX_SEED,
// SANDBOX_TIME_SCALE, SANDBOX_FAULTS (JSON, see sandbox/xero/types.ts FaultConfig), XERO_ACCESS_TOKEN_LIFETIME_SEC,
// XERO_REFRESH_GRACE_SEC, XERO_WEBHOOK_URL + XERO_WEBHOOK_SIGNING_KEY (deliver events to a receiver).
import { startSandbox } from './index';
import { ALL_SCOPES, DEFAULT_CLIENT } from './xero/server';

async function main(): Promise<void> {
	const host = process.env.SANDBOX_HOST ?? '127.0.0.1';
	const sandbox = await startSandbox({
		host,
		xero: {
			port: Number(process.env.XERO_SANDBOX_PORT ?? 4010),
			seed: Number(process.env.SANDBOX_SEED ?? 1),
			timeScale: Number(process.env.SANDBOX_TIME_SCALE ?? 1),
			validateResponses: 'warn',
			accessTokenLifetimeSec: Number(process.env.XERO_ACCESS_TOKEN_LIFETIME_SEC ?? 1800),
			refreshGraceSec: Number(process.env.XERO_REFRESH_GRACE_SEC ?? 1800),
			webhook:
				process.env.XERO_WEBHOOK_URL && process.env.XERO_WEBHOOK_SIGNING_KEY
					? { url: process.env.XERO_WEBHOOK_URL, signingKey: process.env.XERO_WEBHOOK_SIGNING_KEY }
					: undefined,
		},
		commusoft: { port: Number(process.env.COMMUSOFT_SANDBOX_PORT ?? 4020) },
	});
	const x = sandbox.xeroUrl;
	const c = sandbox.commusoft.credentials;
	const lines = [
		'Sandboxes running (Ctrl-C to stop)',
		'',
		'Xero (credential environment "custom", base URL below)',
		`  base URL       ${x}`,
		`  authorize      ${x}/identity/connect/authorize`,
		`  token          ${x}/connect/token`,
		`  connections    ${x}/connections`,
		`  accounting API ${x}/api.xro/2.0`,
		`  inspection     ${x}/__sandbox/state`,
		`  client id      ${DEFAULT_CLIENT.clientId}`,
		`  client secret  ${DEFAULT_CLIENT.clientSecret}`,
		`  scopes         ${ALL_SCOPES.join(' ')}`,
		...sandbox.xero.tenants().map((t) => `  tenant         ${t.tenantId}  ${t.name}`),
		'',
		'Commusoft',
		`  base URL       ${sandbox.commusoftUrl}/api/v1`,
		`  clientId       ${c.clientId}`,
		`  applicationId  ${c.applicationId}`,
		`  username       ${c.username}`,
		`  password       ${c.password}`,
	];
	process.stdout.write(`${lines.join('\n')}\n`);
	const stop = () => {
		sandbox.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error: Error) => {
	process.stderr.write(`${error.stack ?? error.message}\n`);
	process.exit(1);
});
