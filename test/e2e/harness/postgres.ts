/* eslint-disable no-console, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// Debian's PostgreSQL for n8n's queue mode, as n8n documents it for production (queue mode on SQLite only warns
// and runs): a throwaway cluster made with initdb in its own temporary folder, on a free loopback port, no Unix
// socket, trust authentication for one role. Durability settings are off: the cluster lives for one test file.
// PostgreSQL refuses to run as root, so as root the server and initdb run as Debian's `postgres` user
// (setpriv execs in place, so a signal to the process reaches the server itself).
import { execFileSync } from 'node:child_process';
import {
	chmodSync,
	chownSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	rmSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { freePort, runCommand, startProcess, waitFor, type ManagedProcess } from './processes';

export interface RunningPostgres {
	host: string;
	port: number;
	user: string;
	database: string;
	process: ManagedProcess;
	/** The n8n environment that points n8n at this database. */
	n8nEnv: Record<string, string>;
	stop(): Promise<void>;
}

function postgresBinDir(): string {
	const find = () => {
		const root = '/usr/lib/postgresql';
		if (!existsSync(root)) return undefined;
		const versions = readdirSync(root)
			.filter((v) => existsSync(path.join(root, v, 'bin', 'postgres')))
			.sort((a, b) => Number(b) - Number(a));
		return versions.length ? path.join(root, versions[0], 'bin') : undefined;
	};
	const found = find();
	if (found) return found;
	console.error('[postgres] PostgreSQL missing: apt-get install -y postgresql');
	execFileSync(
		'bash',
		[
			'-c',
			'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql',
		],
		{ stdio: 'inherit' },
	);
	const installed = find();
	if (!installed) throw new Error('PostgreSQL is not installed and apt-get did not install it');
	return installed;
}

/** As root: run as the `postgres` user (uid/gid from /etc/passwd through `id`). */
function asServerUser(
	command: string,
	args: string[],
): { command: string; args: string[]; uid?: number; gid?: number } {
	if (process.getuid?.() !== 0) return { command, args };
	const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
	const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
	return {
		command: 'setpriv',
		args: [`--reuid=${uid}`, `--regid=${gid}`, '--init-groups', '--', command, ...args],
		uid,
		gid,
	};
}

export async function startPostgres(): Promise<RunningPostgres> {
	const bin = postgresBinDir();
	// Its own folder, readable by the server user (a test's user folder is private to root).
	const root = mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-postgres-'));
	chmodSync(root, 0o755);
	const dataDir = path.join(root, 'data');
	mkdirSync(dataDir, { mode: 0o700 });
	const user = 'n8n';
	const database = 'n8n';
	const init = asServerUser(path.join(bin, 'initdb'), [
		'-D',
		dataDir,
		'-U',
		user,
		'-A',
		'trust',
		'-E',
		'UTF8',
		'--no-sync',
	]);
	if (init.uid !== undefined) chownSync(dataDir, init.uid, init.gid!);
	const initResult = await runCommand(init.command, init.args, {
		cwd: root,
		env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' },
	});
	if (initResult.code !== 0) {
		rmSync(root, { recursive: true, force: true });
		throw new Error(
			`initdb failed (exit ${initResult.code}):\n${(initResult.stdout + initResult.stderr).slice(-2000)}`,
		);
	}

	const port = await freePort();
	const server = asServerUser(path.join(bin, 'postgres'), [
		'-D',
		dataDir,
		'-p',
		String(port),
		'-c',
		'listen_addresses=127.0.0.1',
		'-c',
		'unix_socket_directories=',
		'-c',
		'fsync=off',
		'-c',
		'synchronous_commit=off',
		'-c',
		'full_page_writes=off',
		'-c',
		'max_connections=100',
	]);
	const proc = startProcess('postgres', server.command, server.args, {
		cwd: root,
		env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' },
		logFile: path.join(root, 'postgres.log'),
	});
	const isReady = path.join(bin, 'pg_isready');
	await waitFor(
		`postgres on port ${port}`,
		async () =>
			(
				await runCommand(isReady, ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-t', '5'], {
					cwd: root,
				})
			).code === 0,
		{ timeoutMs: 60_000, process: proc, intervalMs: 250 },
	);
	const created = await runCommand(
		path.join(bin, 'createdb'),
		['-h', '127.0.0.1', '-p', String(port), '-U', user, database],
		{ cwd: root },
	);
	if (created.code !== 0) {
		await proc.stop(5000);
		throw new Error(
			`createdb failed (exit ${created.code}): ${(created.stdout + created.stderr).slice(-1000)}`,
		);
	}
	return {
		host: '127.0.0.1',
		port,
		user,
		database,
		process: proc,
		n8nEnv: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_USER: user,
			DB_POSTGRESDB_PASSWORD: '',
			DB_POSTGRESDB_DATABASE: database,
		},
		stop: async () => {
			await proc.stop(10_000);
			rmSync(root, { recursive: true, force: true });
		},
	};
}
