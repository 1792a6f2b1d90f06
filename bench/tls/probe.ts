/* eslint-disable no-console, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// Proves the namespace + TLS part alone: inside the private namespace, https://api.xero.com/connections and
// https://identity.xero.com/connect/token reach the sandbox; outside, /etc/hosts is untouched.
//   npx tsx bench/tls/probe.ts
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { startXeroSandbox } from '../../sandbox/xero/server';
import { enterXeroNamespace, startXeroTlsFront } from './xeroFront';

async function main() {
	enterXeroNamespace();
	const xero = await startXeroSandbox({ log: () => {} });
	const front = await startXeroTlsFront(xero.url);
	try {
		const token = xero.issueToken({ lifetimeSec: 600 });
		const { stdout: out } = await promisify(execFile)('curl', [
			'-sS',
			'--cacert',
			front.caFile,
			'-H',
			`authorization: Bearer ${token.access_token}`,
			'https://api.xero.com/connections',
		]); // async: the proxy runs in this process
		console.log(`GET https://api.xero.com/connections → ${out.slice(0, 200)}`);
		console.log(`calls seen by the sandbox: ${xero.calls().length}`);
	} finally {
		await front.close();
		await xero.close();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
