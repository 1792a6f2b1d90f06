/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// Lets n8n's built-in Xero node (fixed hosts https://api.xero.com and https://identity.xero.com) reach the
// sandbox without touching this machine: the bench re-runs itself in a private mount namespace whose
// /etc/hosts points Xero's hosts at 127.0.0.1, and a TLS-terminating proxy on 127.0.0.1:443 forwards every
// request unchanged to the sandbox (same paths: /api.xro/2.0, /connections, /connect/token). The CA and leaf
// are throwaway (made with the openssl CLI per run); only the n8n started by the bench trusts the CA, through
// NODE_EXTRA_CA_CERTS.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';

export const XERO_HOSTS = ['api.xero.com', 'identity.xero.com', 'login.xero.com'];
const MARKER = 'BENCH_XERO_NAMESPACE';

export const inXeroNamespace = () => process.env[MARKER] === '1';

/**
 * Re-runs this script inside `unshare -m` with a bind-mounted hosts file (root only). Returns only when already
 * inside; otherwise exits with the child's status.
 */
export function enterXeroNamespace(): void {
	if (inXeroNamespace()) return;
	if (process.getuid?.() !== 0) throw new Error('the built-in comparison needs root (unshare -m)');
	const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-hosts-'));
	const hosts = path.join(dir, 'hosts');
	writeFileSync(
		hosts,
		`${readFileSync('/etc/hosts', 'utf8')}\n# bench: Xero's hosts on the local TLS proxy\n127.0.0.1 ${XERO_HOSTS.join(' ')}\n`,
	);
	const result = spawnSync(
		'unshare',
		[
			'-m',
			'--propagation',
			'private',
			'sh',
			'-c',
			'mount --bind "$0" /etc/hosts && shift && exec "$@"',
			hosts,
			'placeholder',
			// A fresh tsx (its loader's IPC with the parent does not survive a plain re-exec of node).
			path.join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx'),
			...process.argv.slice(1),
		],
		{ stdio: 'inherit', env: { ...process.env, [MARKER]: '1' } },
	);
	rmSync(dir, { recursive: true, force: true });
	process.exit(result.status ?? 1);
}

export interface XeroTlsFront {
	caFile: string;
	/** The first few 4xx answers (other than 429) with their request bodies, to explain failures. */
	rejections: string[];
	close(): Promise<void>;
}

function makeCertificates(dir: string): { key: string; cert: string; caFile: string } {
	const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
	run(
		['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem'].concat(
			['-days', '1', '-subj', '/CN=bench throwaway CA'],
		),
	);
	run(
		['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr'].concat([
			'-subj',
			'/CN=api.xero.com',
		]),
	);
	writeFileSync(
		path.join(dir, 'leaf.ext'),
		`subjectAltName=${XERO_HOSTS.map((h) => `DNS:${h}`).join(',')}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`,
	);
	run(
		['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key'].concat([
			'-CAcreateserial',
			'-out',
			'leaf.pem',
			'-days',
			'1',
			'-extfile',
			'leaf.ext',
		]),
	);
	return {
		key: readFileSync(path.join(dir, 'leaf.key'), 'utf8'),
		cert: readFileSync(path.join(dir, 'leaf.pem'), 'utf8'),
		caFile: path.join(dir, 'ca.pem'),
	};
}

/** Serves `https://<Xero host>:443/*` from the sandbox at `target` (an http origin). */
export async function startXeroTlsFront(target: string): Promise<XeroTlsFront> {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-tls-'));
	const { key, cert, caFile } = makeCertificates(dir);
	const upstream = new URL(target);
	const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
	const rejections: string[] = [];
	const server = https.createServer({ key, cert }, (req, res) => {
		const sent: Buffer[] = [];
		req.on('data', (chunk: Buffer) => sent.push(chunk));
		const forward = http.request(
			{
				host: upstream.hostname,
				port: upstream.port,
				method: req.method,
				path: req.url,
				headers: { ...req.headers, host: upstream.host },
				agent,
			},
			(answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				const status = answer.statusCode ?? 0;
				if (status >= 400 && status < 500 && status !== 429 && rejections.length < 3) {
					const got: Buffer[] = [];
					answer.on('data', (chunk: Buffer) => got.push(chunk));
					answer.on('end', () =>
						rejections.push(
							`${req.method} ${req.url} ${Buffer.concat(sent).toString().slice(0, 600)} → ${status} ${Buffer.concat(got).toString().slice(0, 600)}`,
						),
					);
				}
				answer.pipe(res);
			},
		);
		// A sandbox fault that drops the socket is passed on as a dropped socket.
		forward.on('error', () => res.destroy());
		req.pipe(forward);
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(443, '127.0.0.1', () => resolve());
	});
	return {
		caFile,
		rejections,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
			agent.destroy();
			rmSync(dir, { recursive: true, force: true });
		},
	};
}
