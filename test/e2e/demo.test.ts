/* eslint-disable no-console, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// `npm run demo` as the README gives it, through npm: a signal to the npm process (what a process manager, an IDE's
// stop button or `kill` sends; a terminal's Ctrl-C reaches the whole foreground group) stops the demo and every
// process it started within seconds, and frees its ports, whether n8n is already up or the demo is still packing.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { delay, freePort, REPO_ROOT } from './harness';

/** pid → parent pid, for every process on the machine (from /proc). */
function processTable(): Map<number, number> {
	const table = new Map<number, number>();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			// "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			table.set(Number(entry), ppid);
		} catch {
			// gone meanwhile
		}
	}
	return table;
}

/** `root` and every process descended from it, now. */
function descendants(root: number): number[] {
	const table = processTable();
	const found = new Set([root]);
	let grew = true;
	while (grew) {
		grew = false;
		for (const [pid, ppid] of table)
			if (found.has(ppid) && !found.has(pid)) {
				found.add(pid);
				grew = true;
			}
	}
	return [...found];
}

const alive = (pid: number) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
};

const portInUse = (port: number) =>
	new Promise<boolean>((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});

interface RunningDemo {
	npm: ChildProcess;
	output: () => string;
	ports: number[];
}

async function startDemo(env: NodeJS.ProcessEnv = {}): Promise<RunningDemo> {
	const ports = [await freePort(), await freePort(), await freePort()];
	let output = '';
	// Its own process group, like a terminal's job: the signal below goes to the npm process alone.
	const npm = spawn('npm', ['run', 'demo'], {
		cwd: REPO_ROOT,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
		env: {
			...process.env,
			N8N_DEMO_PORT: String(ports[0]),
			XERO_SANDBOX_PORT: String(ports[1]),
			COMMUSOFT_SANDBOX_PORT: String(ports[2]),
			...env,
		},
	});
	npm.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
	npm.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
	return { npm, output: () => output, ports };
}

async function waitForOutput(demo: RunningDemo, text: string, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!demo.output().includes(text)) {
		if (demo.npm.exitCode !== null) throw new Error(`demo exited early:\n${demo.output()}`);
		if (Date.now() > deadline)
			throw new Error(`no "${text}" after ${timeoutMs} ms:\n${demo.output().slice(-3000)}`);
		await delay(200);
	}
}

/** Signals npm, then waits until every process of the tree and every port is gone; returns the seconds taken. */
async function signalAndWait(
	demo: RunningDemo,
	signal: NodeJS.Signals,
	limitMs: number,
): Promise<number> {
	const tree = descendants(demo.npm.pid!);
	const started = Date.now();
	process.kill(demo.npm.pid!, signal);
	for (;;) {
		const left = tree.filter(alive);
		const busy = [];
		for (const port of demo.ports) if (await portInUse(port)) busy.push(port);
		if (left.length === 0 && busy.length === 0) return (Date.now() - started) / 1000;
		if (Date.now() - started > limitMs) {
			const names = left.map((pid) => {
				try {
					return `${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').slice(0, 100)}`;
				} catch {
					return String(pid);
				}
			});
			throw new Error(
				`${limitMs} ms after ${signal}: still running ${JSON.stringify(names)}, ports in use ${busy.join(', ')}\n${demo.output().slice(-2000)}`,
			);
		}
		await delay(200);
	}
}

describe('npm run demo stops on a signal to npm', () => {
	let demo: RunningDemo | undefined;

	afterEach(() => {
		// Whatever happened, leave nothing behind: the whole tree, then the npm group.
		if (!demo?.npm.pid) return;
		for (const pid of descendants(demo.npm.pid)) {
			try {
				process.kill(pid, 'SIGKILL');
			} catch {
				// gone
			}
		}
	});

	it('SIGTERM to npm while the demo runs: n8n, its task runner and the sandboxes stop, ports freed', async () => {
		demo = await startDemo();
		await waitForOutput(demo, 'Ctrl-C stops everything', 600_000);
		const tree = descendants(demo.npm.pid!);
		expect(tree.length, 'npm, the demo, n8n and its task runner').toBeGreaterThanOrEqual(4);
		for (const port of demo.ports) expect(await portInUse(port), `port ${port} in use`).toBe(true);
		const seconds = await signalAndWait(demo, 'SIGTERM', 20_000);
		expect(demo.output()).toContain('[demo] SIGTERM: stopping n8n and the sandboxes');
		console.error(`demo fully stopped ${seconds.toFixed(1)} s after SIGTERM to npm`);
	});

	it('SIGINT to npm while the demo is still building and packing: it stops at once', async () => {
		// A fresh temporary folder means no cached tarball: the demo spends its first seconds packing.
		const tmp = mkdtempSync(path.join(os.tmpdir(), 'demo-signal-'));
		demo = await startDemo({ TMPDIR: tmp });
		await waitForOutput(demo, '[demo] building and packing', 120_000);
		await delay(1500); // tsc is running now
		const seconds = await signalAndWait(demo, 'SIGINT', 10_000);
		expect(demo.output()).toContain('[demo] SIGINT: stopping n8n and the sandboxes');
		expect(demo.output()).not.toContain('packed n8n-nodes-commusoft-xero');
		console.error(`demo fully stopped ${seconds.toFixed(1)} s after SIGINT to npm (while packing)`);
	});
});
