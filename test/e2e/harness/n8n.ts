/* eslint-disable no-console, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/require-node-api-error --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// A throwaway real n8n (2.40.5 on Node 24, or the version N8N_VERSION names, see runtime.ts) with our package installed the way users install it: the packed
// tarball `npm install`ed into <user folder>/.n8n/nodes, where n8n's community-packages loader finds it and
// types our nodes `n8n-nodes-commusoft-xero.<name>`. Regular mode (one process) or queue mode (Redis, one
// main, N workers). Credentials and workflows go in through the n8n CLI; executions are read back through the
// editor's REST API with the owner's session.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
	copyFileSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	renameSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseFlatted } from 'flatted';

import { delay, freePort, startProcess, tail, waitFor, type ManagedProcess } from './processes';
import { startPostgres, type RunningPostgres } from './postgres';
import { startRedis, type RunningRedis } from './redis';
import { resolveN8nRuntime, type N8nRuntime } from './runtime';

export const PACKAGE_NAME = 'n8n-nodes-commusoft-xero';
/** Node type of one of our nodes as installed: `n8n-nodes-commusoft-xero.<name>`. */
export const nodeType = (name: string) => `${PACKAGE_NAME}.${name}`;

export const THROWAWAY_INSTANCE_ENCRYPTION = 'e2e-commusoft-xero-fixed-encryption-key';
export const DEFAULT_OWNER = {
	email: 'owner@demo-plumbing.test',
	password: 'Demo-password-1',
	firstName: 'Demo',
	lastName: 'Owner',
};
export type OwnerAccount = typeof DEFAULT_OWNER;

export interface StartN8nOptions {
	mode?: 'regular' | 'queue';
	tarball: string;
	/** Extra environment for every n8n process (main, workers, CLI). */
	env?: Record<string, string>;
	/** Queue mode only: number of `n8n worker` processes (default 2). */
	workers?: number;
	/**
	 * The database: PostgreSQL (Debian's, a throwaway cluster) as n8n documents for queue mode in production, or
	 * SQLite in the user folder. Default: postgres in queue mode, sqlite in regular mode.
	 */
	database?: 'sqlite' | 'postgres';
	/** Owner account created through /rest/owner/setup (default DEFAULT_OWNER); false leaves the instance unset. */
	owner?: OwnerAccount | false;
	/** Fixed port (the demo); default a free one. */
	port?: number;
	/** Keep the user folder after stop() (also when E2E_KEEP=1). */
	keep?: boolean;
	log?: (line: string) => void;
}

/** A decrypted credential as `n8n import:credentials` takes it (data is encrypted on import). */
export interface CredentialFixture {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: Array<Record<string, unknown>>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	[key: string]: unknown;
}

/** n8n's run data (IRun) as `n8n execute --rawOutput` prints it and the executions API stores it. */
export interface RunData {
	status: string;
	finished?: boolean;
	mode?: string;
	data: {
		resultData: {
			runData: Record<
				string,
				Array<{
					data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> };
					error?: unknown;
					executionStatus?: string;
				}>
			>;
			error?: {
				message?: string;
				description?: string;
				node?: { name?: string };
				[key: string]: unknown;
			};
			lastNodeExecuted?: string;
		};
	};
}

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
	startedAt: string;
	stoppedAt?: string;
}

/**
 * The finished executions that did not succeed, as `id: status` lines ([] when none failed). A published poller
 * may have a run still going (or queued) when its executions are listed; that run has not failed, so only
 * finished runs count.
 */
export function unsuccessfulExecutions(executions: ExecutionSummary[]): string[] {
	const unfinished = new Set(['running', 'new', 'waiting']);
	return executions
		.filter((e) => !unfinished.has(e.status) && e.status !== 'success')
		.map((e) => `${e.id}: ${e.status}`);
}

/** An execution status n8n will not change any more (not new, running or waiting). */
export function isExecutionOver(status: string): boolean {
	return !['new', 'running', 'waiting'].includes(status);
}

export class N8nExecutionError extends Error {
	constructor(
		message: string,
		readonly report: string,
	) {
		super(`${message}\n${report}`);
	}
}

/** JSON items a node produced on its first output in its last run. */
export function nodeOutput(
	run: RunData,
	nodeName: string,
	output = 0,
): Array<Record<string, unknown>> {
	const runs = run.data.resultData.runData[nodeName];
	if (!runs || runs.length === 0) {
		throw new Error(
			`node "${nodeName}" did not run; ran: ${Object.keys(run.data.resultData.runData).join(', ')}`,
		);
	}
	const last = runs[runs.length - 1];
	return (last.data?.main[output] ?? []).map((item) => item.json);
}

function runtimeEnv(runtime: N8nRuntime): NodeJS.ProcessEnv {
	const nodeBinDir = path.dirname(runtime.node);
	return {
		PATH: `${nodeBinDir}:${process.env.PATH ?? '/usr/bin:/bin'}`,
		HOME: process.env.HOME,
		LANG: 'C.UTF-8',
		TZ: 'UTC',
	};
}

function execFileText(
	file: string,
	args: string[],
	options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<{ code: number; signal: string | null; stdout: string; stderr: string }> {
	return new Promise((resolve) => {
		execFile(
			file,
			args,
			{
				cwd: options.cwd,
				env: options.env,
				timeout: options.timeoutMs,
				maxBuffer: 256 * 1024 * 1024,
				killSignal: 'SIGKILL',
			},
			(error, stdout, stderr) => {
				const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
				const signal = (error as { signal?: string | null } | null)?.signal ?? null;
				resolve({ code, signal, stdout: String(stdout), stderr: String(stderr) });
			},
		);
	});
}

/** The JSON document inside CLI output that also carries log lines: from the first `{` line to its `}` line. */
export function extractJsonBlock(text: string): unknown {
	const lines = text.split('\n');
	const start = lines.findIndex((line) => line === '{' || line === '[');
	if (start === -1) return undefined;
	const closer = lines[start] === '{' ? '}' : ']';
	const end = lines.findIndex((line, i) => i > start && line === closer);
	if (end === -1) return undefined;
	try {
		return JSON.parse(lines.slice(start, end + 1).join('\n'));
	} catch {
		return undefined;
	}
}

export function randomWorkflowId(): string {
	const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
	return Array.from(randomBytes(16), (b) => alphabet[b % alphabet.length]).join('');
}

export class N8nInstance {
	readonly url: string;
	private cookie = '';
	private cliCounter = 0;
	private restarts = 0;

	constructor(
		readonly runtime: N8nRuntime,
		readonly mode: 'regular' | 'queue',
		readonly port: number,
		readonly userFolder: string,
		readonly env: NodeJS.ProcessEnv,
		private mainProcess: ManagedProcess,
		readonly workers: ManagedProcess[],
		readonly redis: RunningRedis | undefined,
		readonly postgres: RunningPostgres | undefined,
		readonly owner: OwnerAccount | undefined,
		private readonly keep: boolean,
		private readonly log: (line: string) => void,
	) {
		this.url = `http://localhost:${port}`;
	}

	/** The running main process (a new one after `restartMain`). */
	get main(): ManagedProcess {
		return this.mainProcess;
	}

	get logFile(): string {
		return this.main.logFile;
	}

	/**
	 * Stops the main and starts it again on the same user folder, database and port (a host restart), then logs
	 * in again. `crash: true` SIGKILLs it instead of shutting it down: running executions are cut off and n8n
	 * gets no chance to save anything. Each start logs to its own file (`n8n-main-restart-N.log`).
	 */
	async restartMain(options: { crash?: boolean } = {}): Promise<ManagedProcess> {
		if (options.crash) await this.mainProcess.kill();
		else await this.mainProcess.stop();
		this.restarts += 1;
		const main = startProcess(
			`n8n main (restart ${this.restarts})`,
			this.runtime.node,
			[this.runtime.n8nBin, 'start'],
			{
				cwd: this.userFolder,
				env: { ...this.env, N8N_RUNNERS_BROKER_PORT: String(await freePort()) },
				logFile: path.join(this.userFolder, `n8n-main-restart-${this.restarts}.log`),
			},
		);
		this.mainProcess = main;
		await waitFor(`restarted n8n readiness on port ${this.port}`, () => mainReady(this.port), {
			timeoutMs: 180_000,
			process: main,
		});
		if (this.owner) await this.login();
		return main;
	}

	/** Runs an n8n CLI command against this instance's database; throws with its output on failure. */
	async cli(
		args: string[],
		options: { timeoutMs?: number; allowFailure?: boolean; successPattern?: RegExp } = {},
	) {
		// Every n8n process starts a task broker; CLI runs get their own port so they never clash with main.
		const brokerPort = await freePort();
		const result = await execFileText(this.runtime.node, [this.runtime.n8nBin, ...args], {
			cwd: this.userFolder,
			env: { ...this.env, N8N_RUNNERS_BROKER_PORT: String(brokerPort) },
			timeoutMs: options.timeoutMs ?? 180_000,
		});
		this.cliCounter += 1;
		writeFileSync(
			path.join(
				this.userFolder,
				`cli-${String(this.cliCounter).padStart(3, '0')}-${args[0].replace(/[^a-z]/gi, '_')}.log`,
			),
			`$ n8n ${args.join(' ')}\nexit ${result.code} signal ${result.signal}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
		);
		// n8n 2.40.5 on Node 24 sometimes segfaults while tearing down after its work is done and reported
		// (seen on roughly one run in three of `execute`, with complete output). The work counts when n8n said so.
		if (result.signal === 'SIGSEGV' && options.successPattern?.test(result.stdout)) {
			this.log(`n8n ${args[0]} crashed on exit (SIGSEGV) after reporting success; accepted`);
			return { ...result, code: 0 };
		}
		if (result.code !== 0 && !options.allowFailure) {
			throw new N8nExecutionError(
				`n8n ${args.join(' ')} exited with ${result.code}`,
				`${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`,
			);
		}
		return result;
	}

	/** Imports decrypted credentials (upsert by id; the workflows reference these ids). */
	async importCredentials(credentials: CredentialFixture[]): Promise<void> {
		const file = path.join(this.userFolder, `credentials-${Date.now()}.json`);
		writeFileSync(file, JSON.stringify(credentials, null, 2));
		await this.cli(['import:credentials', `--input=${file}`], {
			successPattern: /Successfully imported/,
		});
		rmSync(file, { force: true }); // holds secrets in clear
	}

	/** A stored credential, decrypted (`n8n export:credentials --decrypted`): what n8n holds right now. */
	async exportCredential(id: string): Promise<CredentialFixture> {
		const file = path.join(this.userFolder, `export-${id}-${Date.now()}.json`);
		await this.cli(['export:credentials', `--id=${id}`, '--decrypted', `--output=${file}`], {
			successPattern: /Successfully exported/,
		});
		const [credential] = JSON.parse(readFileSync(file, 'utf8')) as CredentialFixture[];
		rmSync(file, { force: true });
		if (!credential) throw new Error(`credential ${id} not found`);
		return credential;
	}

	/** A stored workflow as `n8n export:workflow` writes it (what a user shares or backs up). */
	async exportWorkflow(id: string): Promise<string> {
		const file = path.join(this.userFolder, `export-workflow-${id}-${Date.now()}.json`);
		await this.cli(['export:workflow', `--id=${id}`, `--output=${file}`], {
			successPattern: /Successfully exported/,
		});
		const text = readFileSync(file, 'utf8');
		rmSync(file, { force: true });
		return text;
	}

	/** Imports several workflows with one CLI call (each n8n CLI start costs seconds); returns their ids. */
	async importWorkflows(workflows: WorkflowJson[]): Promise<string[]> {
		if (workflows.length === 0) return [];
		const dir = mkdtempSync(path.join(this.userFolder, 'workflows-'));
		const ids = workflows.map((workflow) => {
			const id = workflow.id ?? randomWorkflowId();
			const json = { active: false, settings: { executionOrder: 'v1' }, ...workflow, id };
			writeFileSync(path.join(dir, `${id}.json`), JSON.stringify(json, null, 2));
			return id;
		});
		await this.cli(['import:workflow', '--separate', `--input=${dir}`], {
			successPattern: /Successfully imported/,
		});
		return ids;
	}

	/** Imports a workflow (gives it an id when it has none) and returns the id. */
	async importWorkflow(workflow: WorkflowJson): Promise<string> {
		const id = workflow.id ?? randomWorkflowId();
		const file = path.join(this.userFolder, `workflow-${id}.json`);
		writeFileSync(
			file,
			JSON.stringify(
				{ active: false, settings: { executionOrder: 'v1' }, ...workflow, id },
				null,
				2,
			),
		);
		await this.cli(['import:workflow', `--input=${file}`], {
			successPattern: /Successfully imported/,
		});
		return id;
	}

	/**
	 * Runs a saved workflow from its Manual Trigger with `n8n execute --id --rawOutput` (its own process, regular
	 * mode even on a queue-mode instance: n8n's CLI falls back). Throws a readable report unless it succeeded.
	 * `n8n execute` can exit before a large run (~2 MB of items) is flushed to stdout; the run is then read from
	 * n8n's execution store, where the CLI saved it complete.
	 */
	async executeWorkflow(
		id: string,
		options: { timeoutMs?: number; allowFailure?: boolean } = {},
	): Promise<RunData> {
		const earlier = new Set(
			this.cookie ? (await this.listExecutions(id)).map((execution) => execution.id) : [],
		);
		const result = await this.cli(['execute', `--id=${id}`, '--rawOutput'], {
			timeoutMs: options.timeoutMs ?? 300_000,
			allowFailure: true,
		});
		const exitedCleanly = result.code === 0 || result.signal === 'SIGSEGV'; // see cli(): crash after the output
		let run = extractJsonBlock(result.stdout) as RunData | undefined;
		if (!run && exitedCleanly && this.cookie) run = await this.storedRun(id, earlier);
		if (exitedCleanly && run && run.status === 'success' && run.finished !== false) return run;
		if (options.allowFailure && run) return run;
		throw new N8nExecutionError(
			`workflow ${id} did not succeed (exit ${result.code}, status ${run?.status ?? 'unknown'})`,
			describeRun(run) +
				`\n--- n8n execute output (tail)\n${(result.stdout + result.stderr).split('\n').slice(-40).join('\n')}`,
		);
	}

	/** The workflow's newest stored execution that is not in `earlier`, as run data (undefined if none). */
	private async storedRun(workflowId: string, earlier: Set<string>): Promise<RunData | undefined> {
		const fresh = (await this.listExecutions(workflowId))
			.filter((execution) => !earlier.has(execution.id))
			.sort((a, b) => Number(b.id) - Number(a.id))[0];
		if (!fresh) return undefined;
		const { run } = await this.getExecution(fresh.id);
		return { ...run, finished: fresh.status === 'success' };
	}

	/** Editor REST API call with the owner's session cookie. */
	async rest<T = unknown>(method: string, pathname: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.url}/rest${pathname}`, {
			method,
			headers: {
				'content-type': 'application/json',
				cookie: this.cookie,
				'browser-id': 'e2e-harness',
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok)
			throw new Error(`${method} /rest${pathname} → ${response.status}: ${text.slice(0, 1000)}`);
		const parsed = text ? (JSON.parse(text) as { data?: T }) : {};
		return (parsed.data ?? parsed) as T;
	}

	/** GET on any editor path with the owner's session (e.g. `/types/nodes.json`). */
	async getJson<T = unknown>(pathname: string): Promise<T> {
		const response = await fetch(`${this.url}${pathname}`, {
			headers: { cookie: this.cookie, 'browser-id': 'e2e-harness' },
		});
		if (!response.ok)
			throw new Error(
				`GET ${pathname} → ${response.status}: ${(await response.text()).slice(0, 500)}`,
			);
		return (await response.json()) as T;
	}

	/** Logs in as the owner (after setup, or on an instance set up earlier). */
	async login(owner: OwnerAccount = this.owner ?? DEFAULT_OWNER): Promise<void> {
		const response = await fetch(`${this.url}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'browser-id': 'e2e-harness' },
			body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
		});
		if (!response.ok)
			throw new Error(
				`login as ${owner.email} failed: ${response.status} ${await response.text()}`,
			);
		this.cookie = sessionCookie(response);
	}

	async setupOwner(owner: OwnerAccount): Promise<void> {
		const response = await fetch(`${this.url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'browser-id': 'e2e-harness' },
			body: JSON.stringify(owner),
		});
		if (!response.ok)
			throw new Error(`owner setup failed: ${response.status} ${await response.text()}`);
		this.cookie = sessionCookie(response);
	}

	/** Publishes (activates) a workflow on the running main so its trigger listens: webhooks, pollers. */
	async publishWorkflow(id: string): Promise<void> {
		const workflow = await this.rest<{ versionId: string }>('GET', `/workflows/${id}`);
		await this.rest('POST', `/workflows/${id}/activate`, { versionId: workflow.versionId });
	}

	async unpublishWorkflow(id: string): Promise<void> {
		await this.rest('POST', `/workflows/${id}/deactivate`, {});
	}

	/**
	 * Calls a production webhook of a published workflow. Right after publishing, n8n's main can answer 404
	 * "not registered" for a second or two (measured: under 2 s in queue mode) while the activation settles,
	 * so a 404 of that kind is retried for up to `registerTimeoutMs`; any other answer is returned as is.
	 */
	async callWebhook(
		webhookPath: string,
		init: {
			method?: string;
			body?: unknown;
			headers?: Record<string, string>;
			registerTimeoutMs?: number;
		} = {},
	): Promise<{ status: number; body: unknown; text: string }> {
		const deadline = Date.now() + (init.registerTimeoutMs ?? 15_000);
		for (;;) {
			const response = await fetch(`${this.url}/webhook/${webhookPath}`, {
				method: init.method ?? 'POST',
				headers: { 'content-type': 'application/json', ...init.headers },
				body:
					init.body === undefined
						? undefined
						: typeof init.body === 'string'
							? init.body
							: JSON.stringify(init.body),
			});
			const text = await response.text();
			if (response.status === 404 && /is not registered/.test(text) && Date.now() < deadline) {
				await delay(500);
				continue;
			}
			let body: unknown = text;
			try {
				body = JSON.parse(text);
			} catch {
				// not JSON
			}
			return { status: response.status, body, text };
		}
	}

	async listExecutions(workflowId?: string): Promise<ExecutionSummary[]> {
		const filter = workflowId
			? `?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`
			: '';
		const page = await this.rest<{ results: ExecutionSummary[] }>('GET', `/executions${filter}`);
		return page.results;
	}

	/** One execution with its run data (stored flatted-serialised by n8n). */
	async getExecution(id: string): Promise<ExecutionSummary & { run: RunData }> {
		const execution = await this.rest<ExecutionSummary & { data: string }>(
			'GET',
			`/executions/${id}`,
		);
		const data = parseFlatted(execution.data) as RunData['data'];
		return { ...execution, run: { status: execution.status, mode: execution.mode, data } };
	}

	/** Waits until the workflow has at least `count` finished executions; returns them newest first. */
	async waitForExecutions(
		workflowId: string,
		count = 1,
		timeoutMs = 60_000,
	): Promise<ExecutionSummary[]> {
		let found: ExecutionSummary[] = [];
		await waitFor(
			`${count} finished execution(s) of workflow ${workflowId}`,
			async () => {
				found = (await this.listExecutions(workflowId)).filter((e) => isExecutionOver(e.status));
				return found.length >= count;
			},
			{ timeoutMs, process: this.main, intervalMs: 500 },
		);
		return found;
	}

	/**
	 * Fails fast, with n8n's own words, when our package did not load (a broken build, a missing file): every
	 * later error would otherwise be a puzzling "Unrecognized node type".
	 */
	async assertPackageLoaded(): Promise<void> {
		const log = readFileSync(this.main.logFile, 'utf8');
		const failure = log.indexOf(`Failed to load package "${PACKAGE_NAME}"`);
		if (failure !== -1) {
			throw new Error(`n8n could not load ${PACKAGE_NAME}:\n${log.slice(failure, failure + 3000)}`);
		}
		if (!this.cookie) return;
		const nodes = await this.getJson<Array<{ name: string }>>('/types/nodes.json');
		if (!nodes.some((n) => n.name.startsWith(`${PACKAGE_NAME}.`))) {
			throw new Error(`n8n lists no ${PACKAGE_NAME} node types. Log tail:\n${this.logTail(40)}`);
		}
	}

	logTail(lines = 60): string {
		return tail(this.main.logFile, lines);
	}

	/** Readable failure report: the latest failed execution's error and the log tails. */
	async report(): Promise<string> {
		const parts: string[] = [
			`n8n ${this.mode} mode at ${this.url}, user folder ${this.userFolder}`,
		];
		if (this.cookie) {
			try {
				const failed = (await this.listExecutions()).filter(
					(e) => e.status === 'error' || e.status === 'crashed',
				);
				if (failed[0])
					parts.push(
						`latest failed execution ${failed[0].id}:\n${describeRun((await this.getExecution(failed[0].id)).run)}`,
					);
			} catch (error) {
				parts.push(`(could not read executions: ${(error as Error).message})`);
			}
		}
		parts.push(`--- main log tail (${this.main.logFile})\n${this.logTail(50)}`);
		for (const worker of this.workers)
			parts.push(`--- ${worker.name} log tail\n${tail(worker.logFile, 25)}`);
		return parts.join('\n');
	}

	/** Stops every process this instance started (always safe to call twice). */
	async stop(): Promise<void> {
		await Promise.all([this.main.stop(), ...this.workers.map((w) => w.stop())]);
		await this.redis?.stop();
		await this.postgres?.stop();
		if (this.keep || process.env.E2E_KEEP === '1') this.log(`kept ${this.userFolder}`);
		else rmSync(this.userFolder, { recursive: true, force: true });
	}
}

/**
 * The main answers the editor's REST API. /healthz answers before migrations finish; /healthz/readiness waits for
 * the database, but n8n 1.x says ready before it has mounted its REST controllers (POST /rest/owner/setup then
 * answers 404 "Cannot POST"), so the public /rest/settings must answer too.
 */
async function mainReady(port: number): Promise<boolean> {
	if (!(await fetch(`http://127.0.0.1:${port}/healthz/readiness`)).ok) return false;
	return (await fetch(`http://127.0.0.1:${port}/rest/settings`)).ok;
}

function sessionCookie(response: Response): string {
	const cookies = response.headers.getSetCookie();
	return cookies.map((c) => c.split(';')[0]).join('; ');
}

export function describeRun(run: RunData | undefined): string {
	if (!run) return '(no run data)';
	const lines = [`status: ${run.status}`];
	const error = run.data?.resultData?.error;
	if (error) {
		lines.push(`error: ${error.message ?? JSON.stringify(error).slice(0, 500)}`);
		if (error.description) lines.push(`description: ${String(error.description)}`);
		if (error.node?.name) lines.push(`node: ${error.node.name}`);
		const httpCode = (error as { httpCode?: string }).httpCode;
		if (httpCode) lines.push(`http code: ${httpCode}`);
	}
	for (const [node, runs] of Object.entries(run.data?.resultData?.runData ?? {})) {
		const last = runs[runs.length - 1];
		const count = last?.data?.main?.[0]?.length ?? 0;
		lines.push(
			`  ${node}: ${last?.executionStatus ?? '?'} (${count} item(s))${last?.error ? ' ERROR' : ''}`,
		);
	}
	return lines.join('\n');
}

/** Installs the packed package as a community package: `npm install` into <user folder>/.n8n/nodes. */
async function installCommunityPackage(
	userFolder: string,
	tarball: string,
	runtime: N8nRuntime,
): Promise<void> {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2),
	);
	const result = await execFileText(
		'npm',
		[
			'install',
			'--legacy-peer-deps',
			'--ignore-scripts',
			'--no-audit',
			'--no-fund',
			'--prefer-offline',
			'--loglevel=error',
			tarball,
		],
		{ cwd: nodesDir, env: { ...process.env, ...runtimeEnv(runtime) }, timeoutMs: 300_000 },
	);
	if (result.code !== 0)
		throw new Error(`npm install ${tarball} failed:\n${result.stdout}\n${result.stderr}`);
}

/**
 * A migrated, empty SQLite database for this n8n version and encryption key, made once and copied into each
 * new user folder: n8n's ~300 migrations cost 15–30 s per start on a busy 2-core machine, and every e2e file
 * starts its own n8n. Any CLI command migrates; `list:workflow` does nothing else. E2E_FRESH_DB=1 skips it.
 */
async function migratedDatabase(
	runtime: N8nRuntime,
	log: (line: string) => void,
): Promise<string | undefined> {
	if (process.env.E2E_FRESH_DB === '1') return undefined;
	const dir = path.join(os.tmpdir(), 'n8n-e2e-migrated-db', path.basename(runtime.root));
	if (existsSync(path.join(dir, '.complete'))) return dir;
	const started = Date.now();
	const work = mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-migrating-'));
	const result = await execFileText(runtime.node, [runtime.n8nBin, 'list:workflow'], {
		cwd: work,
		env: {
			...runtimeEnv(runtime),
			N8N_USER_FOLDER: work,
			N8N_ENCRYPTION_KEY: THROWAWAY_INSTANCE_ENCRYPTION,
			DB_TYPE: 'sqlite',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		},
		timeoutMs: 300_000,
	});
	if (result.code !== 0 && result.signal !== 'SIGSEGV') {
		log(`could not prepare a migrated database (exit ${result.code}); starting from scratch`);
		rmSync(work, { recursive: true, force: true });
		return undefined;
	}
	writeFileSync(path.join(work, '.complete'), '');
	mkdirSync(path.dirname(dir), { recursive: true });
	try {
		renameSync(work, dir); // atomic: a concurrent run may have won the race, then theirs is used
	} catch {
		rmSync(work, { recursive: true, force: true });
	}
	log(`prepared a migrated database in ${Date.now() - started} ms (${dir})`);
	return existsSync(path.join(dir, '.complete')) ? dir : undefined;
}

export async function startN8n(options: StartN8nOptions): Promise<N8nInstance> {
	const log = options.log ?? ((line: string) => console.error(`[n8n] ${line}`));
	const mode = options.mode ?? 'regular';
	const runtime = await resolveN8nRuntime();
	const userFolder = mkdtempSync(path.join(os.tmpdir(), `n8n-e2e-${mode}-`));
	const started = Date.now();
	let redis: RunningRedis | undefined;
	let postgres: RunningPostgres | undefined;
	const database = options.database ?? (mode === 'queue' ? 'postgres' : 'sqlite');
	const processes: ManagedProcess[] = [];
	try {
		await installCommunityPackage(userFolder, options.tarball, runtime);
		log(
			`installed ${path.basename(options.tarball)} into ${userFolder}/.n8n/nodes in ${Date.now() - started} ms`,
		);
		const migrated = database === 'sqlite' ? await migratedDatabase(runtime, log) : undefined;
		if (migrated) {
			for (const file of [
				'config',
				'database.sqlite',
				'database.sqlite-wal',
				'database.sqlite-shm',
			]) {
				const from = path.join(migrated, '.n8n', file);
				if (existsSync(from)) copyFileSync(from, path.join(userFolder, '.n8n', file));
			}
		}

		const port = options.port ?? (await freePort());
		const env: NodeJS.ProcessEnv = {
			...runtimeEnv(runtime),
			N8N_USER_FOLDER: userFolder,
			N8N_ENCRYPTION_KEY: THROWAWAY_INSTANCE_ENCRYPTION,
			N8N_PORT: String(port),
			N8N_HOST: 'localhost',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			N8N_EDITOR_BASE_URL: `http://localhost:${port}`,
			WEBHOOK_URL: `http://localhost:${port}/`,
			N8N_SECURE_COOKIE: 'false',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_REINSTALL_MISSING_PACKAGES: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_LOG_LEVEL: 'info',
			N8N_LOG_OUTPUT: 'console',
			DB_TYPE: 'sqlite',
			DB_SQLITE_POOL_SIZE: '4',
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
			EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
			GENERIC_TIMEZONE: 'UTC',
		};
		if (database === 'postgres') {
			postgres = await startPostgres();
			Object.assign(env, postgres.n8nEnv);
			delete env.DB_SQLITE_POOL_SIZE;
			log(`PostgreSQL on 127.0.0.1:${postgres.port} (database ${postgres.database})`);
		}
		if (mode === 'queue') {
			redis = await startRedis(userFolder);
			Object.assign(env, {
				EXECUTIONS_MODE: 'queue',
				QUEUE_BULL_REDIS_HOST: '127.0.0.1',
				QUEUE_BULL_REDIS_PORT: String(redis.port),
				OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			});
		}
		Object.assign(env, options.env);

		const main = startProcess('n8n main', runtime.node, [runtime.n8nBin, 'start'], {
			cwd: userFolder,
			env: { ...env, N8N_RUNNERS_BROKER_PORT: String(await freePort()) },
			logFile: path.join(userFolder, 'n8n-main.log'),
		});
		processes.push(main);
		await waitFor(`n8n readiness on port ${port}`, () => mainReady(port), {
			timeoutMs: 180_000,
			process: main,
		});

		const workers: ManagedProcess[] = [];
		if (mode === 'queue') {
			const count = options.workers ?? 2;
			for (let i = 1; i <= count; i++) {
				const healthPort = await freePort();
				const worker = startProcess(
					`n8n worker ${i}`,
					runtime.node,
					[runtime.n8nBin, 'worker', '--concurrency=5'],
					{
						cwd: userFolder,
						env: {
							...env,
							N8N_RUNNERS_BROKER_PORT: String(await freePort()),
							QUEUE_HEALTH_CHECK_ACTIVE: 'true',
							QUEUE_HEALTH_CHECK_PORT: String(healthPort),
						},
						logFile: path.join(userFolder, `n8n-worker-${i}.log`),
					},
				);
				processes.push(worker);
				workers.push(worker);
				await waitFor(
					`n8n worker ${i} readiness on port ${healthPort}`,
					async () => (await fetch(`http://127.0.0.1:${healthPort}/healthz/readiness`)).ok,
					{ timeoutMs: 180_000, process: worker },
				);
			}
		}

		const owner = options.owner === false ? undefined : (options.owner ?? DEFAULT_OWNER);
		const instance = new N8nInstance(
			runtime,
			mode,
			port,
			userFolder,
			env,
			main,
			workers,
			redis,
			postgres,
			owner,
			!!options.keep,
			log,
		);
		if (owner) await instance.setupOwner(owner);
		await instance.assertPackageLoaded();
		log(
			`${mode} mode (${database}) ready at ${instance.url} in ${Date.now() - started} ms (log ${main.logFile})`,
		);
		return instance;
	} catch (error) {
		await Promise.all(processes.map((p) => p.stop(5000)));
		await redis?.stop();
		await postgres?.stop();
		if (!options.keep && process.env.E2E_KEEP !== '1')
			rmSync(userFolder, { recursive: true, force: true });
		throw error;
	}
}
