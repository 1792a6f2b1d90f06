/* eslint-disable no-console, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// Debian's redis-server on a free loopback port, without persistence, for n8n's queue mode.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { freePort, startProcess, waitFor, type ManagedProcess } from './processes';

export interface RunningRedis {
	port: number;
	process: ManagedProcess;
	stop(): Promise<void>;
}

export function redisServerBinary(): string {
	for (const candidate of ['/usr/bin/redis-server', '/usr/local/bin/redis-server']) {
		if (existsSync(candidate)) return candidate;
	}
	console.error('[redis] redis-server missing: apt-get install -y redis-server');
	execFileSync(
		'bash',
		[
			'-c',
			'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server',
		],
		{
			stdio: 'inherit',
		},
	);
	return '/usr/bin/redis-server';
}

function ping(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		socket.setTimeout(1000);
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.once('data', (data) => {
			resolve(data.toString().startsWith('+PONG'));
			socket.destroy();
		});
		socket.once('error', () => resolve(false));
		socket.once('timeout', () => {
			resolve(false);
			socket.destroy();
		});
	});
}

export async function startRedis(dir: string): Promise<RunningRedis> {
	const port = await freePort();
	const process = startProcess(
		'redis-server',
		redisServerBinary(),
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
		],
		{ cwd: dir, env: { PATH: '/usr/bin:/bin' }, logFile: path.join(dir, 'redis.log') },
	);
	await waitFor(`redis on port ${port}`, () => ping(port), { timeoutMs: 15_000, process });
	return { port, process, stop: () => process.stop(5000) };
}
