/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// `npm run demo`: the whole thing on one machine, for a first look. Installs what is missing (the pinned n8n
// runtime, the packed package), starts the sandboxes with seed data and a real n8n with this package installed
// as a community package, imports the sandbox credentials (Xero already connected through the sandbox's
// consent page, Commusoft, and the sandbox Xero app's webhook key) and every bundled template in templates/*.json, creates the owner account, and prints the
// editor URL, the login and what to try first. Ctrl-C stops everything.
//
//   npm run demo               run until Ctrl-C
//   npm run demo -- --once     start, check health, run the smoke checks, stop (CI smoke test of the demo)
//   npm run demo -- --queue    queue mode (PostgreSQL + redis + 2 workers) instead of one process
//
// Ports: N8N_DEMO_PORT (default 5678), XERO_SANDBOX_PORT (4010), COMMUSOFT_SANDBOX_PORT (4020); a busy port
// falls back to a free one. DEMO_KEEP=1 keeps n8n's user folder after stopping.
import net from 'node:net';

import {
	COMMUSOFT_CREDENTIAL,
	DEFAULT_OWNER,
	importSandboxCredentials,
	killAllNow,
	loadTemplates,
	packPackage,
	startN8n,
	startSandbox,
	XERO_CREDENTIAL,
	XERO_SANDBOX_CLIENT,
	XERO_SANDBOX_WEBHOOK_KEY,
	XERO_WEBHOOK_KEY_CREDENTIAL,
	type N8nInstance,
	type RunningSandbox,
} from '../test/e2e/harness/core';
import type { XeroSandbox } from '../sandbox';

const args = new Set(process.argv.slice(2));
const once = args.has('--once');
const queue = args.has('--queue');

const say = (line = '') => process.stdout.write(`${line}\n`);
const step = (line: string) => process.stderr.write(`[demo] ${line}\n`);

function portIsFree(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

async function preferredPort(envName: string, fallback: number): Promise<number | undefined> {
	const port = Number(process.env[envName] ?? fallback);
	if (await portIsFree(port)) return port;
	step(`port ${port} is busy (${envName}); using a free one`);
	return undefined;
}

async function smokeCheck(
	n8n: N8nInstance,
	sandbox: RunningSandbox,
	templateCount: number,
	tryFirst: { id: string; name: string } | undefined,
): Promise<void> {
	const health = await fetch(`${n8n.url}/healthz/readiness`);
	if (!health.ok) throw new Error(`n8n readiness answered ${health.status}`);
	const nodes = await n8n.getJson<Array<{ name: string }>>('/types/nodes.json');
	const ours = nodes
		.map((n) => n.name)
		.filter((name) => name.startsWith('n8n-nodes-commusoft-xero.'));
	if (!ours.includes('n8n-nodes-commusoft-xero.xeroAccounting')) {
		throw new Error(`our nodes are not loaded; found: ${ours.join(', ') || 'none'}`);
	}
	const workflows = await n8n.rest<Array<{ id: string; name: string }>>('GET', '/workflows');
	if (workflows.length !== templateCount) {
		throw new Error(
			`${templateCount} template(s) in templates/, but n8n holds ${workflows.length} workflow(s)`,
		);
	}
	const xeroState = await fetch(`${sandbox.xeroUrl}/__sandbox/state`);
	if (!xeroState.ok) throw new Error(`Xero sandbox inspection answered ${xeroState.status}`);
	// "Try first" as printed: the first template, executed as imported (nothing filled in by hand).
	let tried = '';
	if (tryFirst) {
		const xero = sandbox.xero as XeroSandbox;
		const before = xero.state().invoices.length;
		await n8n.executeWorkflow(tryFirst.id);
		const added = xero.state().invoices.length - before;
		if (added <= 0)
			throw new Error(`"${tryFirst.name}" ran but no invoice arrived in the Xero sandbox`);
		tried = `, "${tryFirst.name}" executed as imported: ${added} invoice(s) in the Xero sandbox`;
	}
	step(
		`smoke check passed: ${ours.length} node types loaded, ${workflows.length} workflow(s) imported${tried}`,
	);
}

let n8n: N8nInstance | undefined;
let sandbox: RunningSandbox | undefined;
let stopping = false;

/**
 * Stops everything the demo started, whatever phase it is in: a build, pack or runtime install still running
 * (killed, a half-installed runtime is rebuilt next time), n8n (orderly shutdown), the sandboxes.
 */
async function stop(code: number, why?: string): Promise<void> {
	if (stopping) return;
	stopping = true;
	step(`${why ? `${why}: ` : ''}stopping n8n and the sandboxes`);
	const hardStop = setTimeout(() => {
		step('still stopping after 10 s: killing what is left');
		killAllNow();
		process.exit(code);
	}, 10_000);
	hardStop.unref();
	try {
		await n8n?.stop();
		await sandbox?.close();
	} finally {
		killAllNow();
		process.exit(code);
	}
}

async function main(): Promise<void> {
	const started = Date.now();
	// Signals are handled from the first moment (no step blocks the event loop), and the demo stops when the
	// process that started it goes away (npm or a terminal killed without passing the signal on).
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
		process.on(signal, () => void stop(0, signal));
	const parent = process.ppid;
	setInterval(() => {
		if (process.ppid !== parent) void stop(0, 'the process that started the demo is gone');
	}, 1000).unref();
	process.on('uncaughtException', (error) => {
		process.stderr.write(`${error.stack ?? error.message}\n`);
		killAllNow();
		process.exit(1);
	});

	step('building and packing the package (cached while sources are unchanged)');
	const { tarball } = await packPackage({ log: step });

	step('starting the sandboxes');
	sandbox = await startSandbox({
		host: '127.0.0.1',
		xero: { port: await preferredPort('XERO_SANDBOX_PORT', 4010), validateResponses: 'warn' },
		commusoft: { port: await preferredPort('COMMUSOFT_SANDBOX_PORT', 4020) },
	});

	try {
		step(
			`starting n8n 2.40.5 (${queue ? 'queue mode: PostgreSQL + redis + 2 workers' : 'regular mode'}); installs it first if missing`,
		);
		n8n = await startN8n({
			mode: queue ? 'queue' : 'regular',
			tarball,
			port: await preferredPort('N8N_DEMO_PORT', 5678),
			keep: process.env.DEMO_KEEP === '1',
			log: step,
		});

		step(
			'importing the sandbox credentials (Xero connected through the sandbox consent page, webhook key)',
		);
		await importSandboxCredentials(n8n, sandbox);

		// Every template with the sandbox credentials and the sandbox organisation selected: ready to execute.
		const xero = sandbox.xero as XeroSandbox;
		const templates = loadTemplates({ tenantId: xero.defaultTenantId });
		const ids = await n8n.importWorkflows(templates.map((t) => t.workflow));
		for (const { file, workflow } of templates)
			step(`imported template ${file} → "${workflow.name}"`);
		if (templates.length === 0) step('no templates in templates/ yet: nothing to import');

		if (once) {
			await smokeCheck(
				n8n,
				sandbox,
				templates.length,
				templates[0] && { id: ids[0], name: templates[0].workflow.name },
			);
			step(`demo smoke test done in ${Math.round((Date.now() - started) / 1000)} s`);
			await stop(0);
			return;
		}

		const tenant = xero.tenants().find((t) => t.tenantId === xero.defaultTenantId);
		say('');
		say('  n8n-nodes-commusoft-xero demo is running (Ctrl-C stops everything)');
		say('');
		say(`  Editor     ${n8n.url}`);
		say(`  Login      ${DEFAULT_OWNER.email}`);
		say(`  Password   ${DEFAULT_OWNER.password}`);
		say('');
		say(
			`  Credentials (ready):  "${XERO_CREDENTIAL.name}" (Xero, connected)  "${COMMUSOFT_CREDENTIAL.name}" (Commusoft)`,
		);
		say(
			`                        "${XERO_WEBHOOK_KEY_CREDENTIAL.name}" (for the Xero Webhook Trigger)`,
		);
		say(`  Xero sandbox          ${sandbox.xeroUrl}   organisation "${tenant?.name ?? '?'}"`);
		say(
			`                        client id ${XERO_SANDBOX_CLIENT.clientId} / secret ${XERO_SANDBOX_CLIENT.clientSecret}`,
		);
		say(`  Commusoft sandbox     ${sandbox.commusoftUrl}/api/v1`);
		say(
			`  Sandbox state         ${sandbox.xeroUrl}/__sandbox/state   ${sandbox.commusoftUrl}/__sandbox/state`,
		);
		say('');
		say('  Try first:');
		if (templates.length > 0) {
			say(`   1. Open the workflow "${templates[0].workflow.name}" and click "Execute workflow".`);
			say('   2. Watch the records arrive in the sandbox state pages above.');
			say(`   Imported templates: ${templates.map((t) => t.workflow.name).join(' · ')}`);
		} else {
			say('   1. Create a workflow, add "Xero Accounting" → Invoice → Get Many,');
			say(
				`      credential "${XERO_CREDENTIAL.name}", organisation "${tenant?.name ?? '?'}", then "Execute step".`,
			);
			say('   2. Add "Commusoft" or "Commusoft Trigger" with the Commusoft (sandbox) credential.');
		}
		say(
			'   Reconnect Xero any time: open the credential and click "Reconnect" — the sandbox consent page opens.',
		);
		say(
			`   Xero webhooks: publish a workflow with a "Xero Webhook Trigger" (credential "${XERO_WEBHOOK_KEY_CREDENTIAL.name}"),`,
		);
		say(
			`      then POST {"url":"<its Production URL>","signingKey":"${XERO_SANDBOX_WEBHOOK_KEY}"} to ${sandbox.xeroUrl}/__sandbox/webhooks.`,
		);
		say('');
	} catch (error) {
		process.stderr.write(`\n[demo] failed: ${(error as Error).message}\n`);
		if (n8n) process.stderr.write(`${await n8n.report()}\n`);
		await stop(1);
	}
}

main().catch((error: Error) => {
	process.stderr.write(`\n[demo] failed: ${error.message}\n`);
	killAllNow();
	process.exit(1);
});
