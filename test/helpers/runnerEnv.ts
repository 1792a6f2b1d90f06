/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// Imported before n8n-core: its InstanceSettings creates `<N8N_USER_FOLDER>/.n8n/config` (an encryption key) on
// first use. Point it at a throw-away folder so tests never touch the user's ~/.n8n or a real n8n install.
if (process.env.N8N_USER_FOLDER === undefined) {
	const folder = path.join(tmpdir(), 'n8n-nodes-commusoft-xero-runner');
	mkdirSync(folder, { recursive: true });
	process.env.N8N_USER_FOLDER = folder;
}
process.env.N8N_ENCRYPTION_KEY ??= 'in-process-test-runner-key';
process.env.N8N_LOG_LEVEL ??= 'silent';
