/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// Child processes the harness starts: each in its own process group (so n8n's task runners die with it),
// output appended to a log file, and killed on stop, on failure and when the test process exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import net from 'node:net';

export interface ManagedProcess {
	name: string;
	child: ChildProcess;
	logFile: string;
	/** Resolves with the exit code (null when killed by a signal). */
	exited: Promise<number | null>;
	isRunning(): boolean;
	/** SIGTERM, then SIGKILL after `timeoutMs`: an orderly shutdown. */
	stop(timeoutMs?: number): Promise<void>;
	/** SIGKILL to the whole group at once: a crash (power cut, OOM killer), nothing gets to clean up. */
	kill(): Promise<void>;
}

const running = new Set<ManagedProcess>();
/** Short-lived commands in flight (build, pack, runtime install): killed with everything else on a signal. */
const commands = new Set<ChildProcess>();

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
	if (!pid) return;
	try {
		process.kill(-pid, signal);
	} catch {
		// already gone
	}
}

// Last resort when the test process itself ends without calling stop(): never leave n8n behind. vitest runs
// the e2e files one after another in one process, evaluating this module once per file; each evaluation adds its
// killAllNow to one shared list behind a single exit listener (a listener per file piled up to a
// MaxListenersExceededWarning).
const EXIT_HOOKS = Symbol.for('n8n-nodes-commusoft-xero.harness.exitHooks');
const holder = globalThis as { [EXIT_HOOKS]?: Array<() => void> };
if (!holder[EXIT_HOOKS]) {
	const hooks: Array<() => void> = [];
	holder[EXIT_HOOKS] = hooks;
	process.once('exit', () => {
		for (const hook of hooks) hook();
	});
}
holder[EXIT_HOOKS].push(() => killAllNow());

/** Kills every process the harness started, synchronously (for exit and signal handlers). */
export function killAllNow(): void {
	for (const p of running) killGroup(p.child.pid, 'SIGKILL');
	for (const child of commands) killGroup(child.pid, 'SIGKILL');
}

export interface CommandResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

/**
 * Runs a command to completion without blocking the event loop (unlike execFileSync, which would hold a Ctrl-C
 * or SIGTERM back until the command ends: minutes for the runtime install). The command gets its own process
 * group, so killAllNow stops it and everything it started. `stderr: 'inherit'` streams progress to our stderr.
 */
export function runCommand(
	command: string,
	args: string[],
	options: { cwd: string; env?: NodeJS.ProcessEnv; stderr?: 'pipe' | 'inherit' },
): Promise<CommandResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {
			cwd: options.cwd,
			env: options.env ?? process.env,
			detached: true,
			stdio: ['ignore', 'pipe', options.stderr ?? 'pipe'],
		});
		commands.add(child);
		let stdout = '';
		let stderr = '';
		child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
		child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
		child.once('error', (error) => {
			commands.delete(child);
			reject(error);
		});
		child.once('close', (code, signal) => {
			commands.delete(child);
			resolve({ code, signal, stdout, stderr });
		});
	});
}

export function startProcess(
	name: string,
	command: string,
	args: string[],
	options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string },
): ManagedProcess {
	const fd = openSync(options.logFile, 'a');
	const child = spawn(command, args, {
		cwd: options.cwd,
		env: options.env,
		detached: true,
		stdio: ['ignore', fd, fd],
	});
	closeSync(fd);
	let alive = true;
	const exited = new Promise<number | null>((resolve) => {
		child.once('exit', (code) => {
			alive = false;
			running.delete(managed);
			resolve(code);
		});
		child.once('error', () => {
			alive = false;
			running.delete(managed);
			resolve(-1);
		});
	});
	const managed: ManagedProcess = {
		name,
		child,
		logFile: options.logFile,
		exited,
		isRunning: () => alive,
		async stop(timeoutMs = 15_000) {
			if (!alive) return;
			killGroup(child.pid, 'SIGTERM');
			const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), timeoutMs);
			await exited;
			clearTimeout(timer);
			// Task runners and other helpers in the group may outlive the leader.
			killGroup(child.pid, 'SIGKILL');
		},
		async kill() {
			killGroup(child.pid, 'SIGKILL');
			await exited;
		},
	};
	running.add(managed);
	return managed;
}

export function tail(file: string, lines = 60): string {
	try {
		return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return `(no log at ${file})`;
	}
}

/** A free TCP port on loopback (asked from the OS, released just before use). */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns true; fails early when `process` exits, with its log tail. */
export async function waitFor(
	what: string,
	check: () => Promise<boolean>,
	options: { timeoutMs: number; process?: ManagedProcess; intervalMs?: number },
): Promise<void> {
	const deadline = Date.now() + options.timeoutMs;
	while (Date.now() < deadline) {
		if (options.process && !options.process.isRunning()) {
			throw new Error(
				`${options.process.name} exited while waiting for ${what}. Log tail (${options.process.logFile}):\n${tail(options.process.logFile)}`,
			);
		}
		if (await check().catch(() => false)) return;
		await delay(options.intervalMs ?? 250);
	}
	const logNote = options.process
		? `\nLog tail (${options.process.logFile}):\n${tail(options.process.logFile)}`
		: '';
	throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${what}${logNote}`);
}
