/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
/**
 * In-process n8n runner for sandbox tests: our nodes run through n8n-core's real `WorkflowExecute`, real node
 * execution contexts (`ExecuteContext`, `PollContext`, `WebhookContext`, `HookContext`, `LoadOptionsContext`) and
 * real request helpers (`httpRequestWithAuthentication`, including n8n-core's `requestOAuth2` refresh-on-401 and
 * the `preAuthentication` retry), against local HTTP servers.
 *
 * Usage (run in the vitest "sandbox" project, or under tsx):
 *   const { items, outputs, error } = await runNode('xeroAccounting', { resource: 'invoice', ... },
 *     [{ json: {...} }], { xeroAccountingOAuth2Api: { ...creds, oauthTokenData: {...} } },
 *     { node: { onError: 'continueErrorOutput' } });        // outputs[1] = error output
 *   const run = await runWorkflow({ nodes, connections }, { credentials, staticData });
 *   run.outputOf('Xero Accounting');      // items of output 0 (pairedItem included); run.error; run.staticData
 *   run.credentialsAfter.xeroAccountingOAuth2Api.oauthTokenData  // token set after any refresh
 *   let state = {}; ({ items, staticData: state } = await pollOnce('xeroPaymentTrigger', params, { credentials, staticData: state }));
 *   await runWorkflow(wf, { mode: 'trigger', triggerItems: items, credentials });  // the run a poll would start
 *   const hook = await callWebhook('xeroWebhookTrigger', params, { headers, rawBody });  // hook.response.statusCode
 *   const { result } = await runWebhookMethod('xeroWebhookTrigger', 'create', params);
 *   const options = await loadOptions('xeroAccounting', 'getTenants', params, credentials);
 *   const { results } = await listSearch('xeroAccounting', 'searchContacts', params, credentials, { filter });
 *   const store = new CredentialStore({ ... });  // pass as `credentials` to share one "database" between runs
 * Node types are found by their `description.name` (`xeroAccounting`), installed name
 * (`n8n-nodes-commusoft-xero.xeroAccounting`) or `CUSTOM.xeroAccounting`. By default every `nodes/**\/*.node.ts`
 * and `credentials/**\/*.credentials.ts` is loaded; pass `types: await loadPackageTypes({ nodes, credentials })`
 * (or `{ directories }`) to use other classes (fixtures). Credentials are keyed by credential type and attached
 * automatically to every node whose description lists that type.
 *
 * What differs from n8n, and why (the narrowest stand-ins that work outside the monorepo):
 * - Credentials live in memory (`InMemoryCredentialsHelper`, a re-implementation of the CLI's
 *   `CredentialsHelper` semantics: defaults, `$self` expressions, hidden OAuth fields pinned to the type, generic
 *   and function `authenticate`, `preAuthentication` only for a hidden `expirable` field) instead of the encrypted
 *   database; `credentialsAfter` shows what n8n would have persisted (refreshed OAuth2 token sets,
 *   pre-authentication tokens). The OAuth2 consent flow (n8n's oauth2-credential controller) is not reproduced:
 *   tests start from stored `oauthTokenData`.
 * - `oAuth2Api` and the Manual Trigger are re-declared in `builtinTypes.ts` because n8n-nodes-base is not a
 *   dependency. The node loader's description changes (`pollTimes` on pollers, CORS and declarative options) are
 *   applied with n8n-core's own `DirectoryLoader` code; its AI-tool cloning (`usableAsTool`) is not reproduced.
 * - `IWorkflowExecuteAdditionalData` is built by hand with only what node execution reads; sub-workflows,
 *   task runners and AI features throw when reached.
 * - Webhook calls get a minimal Express-like request/response pair (headers, body parsed like n8n's body parser,
 *   rawBody, query, params; status/send/json/end/setHeader) instead of n8n's Express server; when the node writes
 *   nothing and does not set `noWebhookResponse`, n8n's default reply for the webhook's response mode is reported.
 * - Module identity: n8n-core is CommonJS. Under vitest, test code would import n8n-workflow's ESM build and
 *   @n8n/di's other build, i.e. second copies (broken `instanceof NodeApiError`, an empty DI container).
 *   vitest.config.ts aliases n8n-workflow to its CJS build for the sandbox suite, this file refuses to run with two
 *   copies, and the DI container is taken from n8n-core's own `require`.
 * - n8n-core's InstanceSettings writes an encryption key file on first use: `runnerEnv.ts` points
 *   N8N_USER_FOLDER at a temp folder so tests never touch ~/.n8n.
 */
import './runnerEnv';

import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parse as parseQueryString } from 'node:querystring';

import {
	DirectoryLoader,
	ExecutionLifecycleHooks,
	HookContext,
	LoadOptionsContext,
	PollContext,
	TriggersAndPollers,
	WebhookContext,
	WorkflowExecute,
} from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeListSearchResult,
	INodeParameters,
	INodePropertyOptions,
	INodeType,
	INodeTypes,
	IPinData,
	IRun,
	IRunData,
	IVersionedNodeType,
	IWebhookData,
	IWebhookResponseData,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	ExecutionError,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import {
	createRunExecutionData,
	jsonParse,
	NodeHelpers,
	UnexpectedError,
	Workflow,
} from 'n8n-workflow';

import { MANUAL_TRIGGER_TYPE, ManualTrigger, OAuth2Api } from './builtinTypes';
import type { CredentialEvent } from './credentialsHelper';
import {
	CredentialStore,
	CredentialTypeRegistry,
	InMemoryCredentialsHelper,
} from './credentialsHelper';

export { CredentialStore, InMemoryCredentialsHelper } from './credentialsHelper';
export type { CredentialEvent } from './credentialsHelper';

// n8n-core resolves its services from the CommonJS build of @n8n/di; importing @n8n/di here could load its ESM
// build (a second, empty container) under vitest, so take the container n8n-core itself uses.
const { Container } = createRequire(require.resolve('n8n-core'))(
	'@n8n/di',
) as typeof import('@n8n/di');

// n8n loads one n8n-workflow; two copies (ESM for test code, CJS for n8n-core) would make `instanceof NodeApiError`
// and NodeApiError's re-wrap behave unlike n8n. vitest.config.ts pins the sandbox suite to the CJS build.
const coreN8nWorkflow = createRequire(require.resolve('n8n-core'))(
	'n8n-workflow',
) as typeof import('n8n-workflow');
if (coreN8nWorkflow.Workflow !== Workflow) {
	throw new UnexpectedError(
		'test/helpers/n8nCore.ts loaded a second copy of n8n-workflow: run it in the vitest "sandbox" project (which ' +
			"aliases n8n-workflow to its CommonJS build) or under tsx, so nodes and n8n-core share n8n-workflow's classes",
	);
}

const PACKAGE_NAME = 'n8n-nodes-commusoft-xero';
const REPO_ROOT = path.resolve(__dirname, '..', '..');

type AnyNodeType = INodeType | IVersionedNodeType;
type Credentials = Record<string, ICredentialDataDecryptedObject>;
/** Credential data by type (copied into a fresh store for the run), or a store shared between runs. */
export type CredentialsInput = Credentials | CredentialStore;

export interface PackageTypes {
	/** Node types by `description.name`, built-ins included (`manualTrigger`). */
	nodes: Map<string, AnyNodeType>;
	/** Credential types by name, built-ins included (`oAuth2Api`). */
	credentials: Map<string, ICredentialType>;
	/** Source files that failed to import during discovery (another part may be mid-edit). */
	loadErrors: Array<{ file: string; error: string }>;
}

function isNodeType(value: unknown): value is AnyNodeType {
	if (typeof value !== 'object' || value === null || !('description' in value)) return false;
	const { description } = value as { description?: { name?: unknown } };
	return typeof description === 'object' && typeof description?.name === 'string';
}

function isCredentialType(value: unknown): value is ICredentialType {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as ICredentialType).name === 'string' &&
		Array.isArray((value as ICredentialType).properties)
	);
}

function nodeTypeName(type: AnyNodeType): string {
	return type.description.name;
}

function listFiles(dir: string, suffix: string): string[] {
	try {
		return (readdirSync(dir, { recursive: true }) as string[])
			.filter((file) => file.endsWith(suffix))
			.map((file) => path.join(dir, file))
			.sort();
	} catch {
		return [];
	}
}

/** Instantiates every exported class of a module that looks like a node or credential type. */
async function instancesFrom(file: string): Promise<unknown[]> {
	const module = (await import(file)) as Record<string, unknown>;
	const instances: unknown[] = [];
	for (const exported of Object.values(module)) {
		if (
			typeof exported !== 'function' ||
			!/^class\s/.test(Function.prototype.toString.call(exported))
		)
			continue;
		try {
			instances.push(new (exported as new () => unknown)());
		} catch {
			// Classes with required constructor arguments are helpers, not node or credential types.
		}
	}
	return instances;
}

const adjusted = new WeakSet<object>();

/**
 * What n8n's node loader adds to a description when it loads a package, using its own code: the `pollTimes`
 * parameter on polling nodes, CORS options on webhooks that support them, declarative request options.
 */
function applyLoaderAdjustments(type: AnyNodeType) {
	const versions = 'nodeVersions' in type ? Object.values(type.nodeVersions) : [type];
	for (const version of versions) {
		// Keyed by description: node classes often share one module-level description object between instances.
		if (adjusted.has(version.description)) continue;
		adjusted.add(version.description);
		(
			DirectoryLoader.prototype as unknown as {
				applySpecialNodeParameters(nodeType: INodeType): void;
			}
		).applySpecialNodeParameters.call(undefined, version);
	}
}

export interface LoadPackageTypesOptions {
	/** Explicit node types (instances or classes); when given with no `discover`, nothing is discovered. */
	nodes?: Array<AnyNodeType | (new () => AnyNodeType)>;
	credentials?: Array<ICredentialType | (new () => ICredentialType)>;
	/** Scan `nodes/**\/*.node.ts` and `credentials/**\/*.credentials.ts` (default: only when nothing is explicit). */
	discover?: boolean;
	/** Package root whose `nodes/` and `credentials/` folders are scanned (default: this repository). */
	root?: string;
	/** Scan these folders instead (for `*.node.ts` and `*.credentials.ts` at any depth), e.g. a fixtures folder. */
	directories?: string[];
}

/** Node and credential types for the runner: discovered from the package sources and/or given explicitly. */
export async function loadPackageTypes(
	options: LoadPackageTypesOptions = {},
): Promise<PackageTypes> {
	const types: PackageTypes = { nodes: new Map(), credentials: new Map(), loadErrors: [] };
	// A VersionedNodeType wrapper wins over its per-version classes (`v2/FooV2.node.ts` shares its name), as
	// n8n only loads the wrapper listed in package.json.
	const addNode = (type: AnyNodeType, explicit = false) => {
		const existing = types.nodes.get(nodeTypeName(type));
		if (!explicit && existing && 'nodeVersions' in existing && !('nodeVersions' in type)) return;
		applyLoaderAdjustments(type);
		types.nodes.set(nodeTypeName(type), type);
	};
	const addCredential = (type: ICredentialType) => types.credentials.set(type.name, type);
	addNode(new ManualTrigger());
	addCredential(new OAuth2Api());

	const discover =
		options.discover ??
		(options.directories !== undefined ||
			(options.nodes === undefined && options.credentials === undefined));
	if (discover) {
		const root = options.root ?? REPO_ROOT;
		const files = options.directories
			? options.directories.flatMap((dir) => [
					...listFiles(dir, '.node.ts'),
					...listFiles(dir, '.credentials.ts'),
				])
			: [
					...listFiles(path.join(root, 'nodes'), '.node.ts'),
					...listFiles(path.join(root, 'credentials'), '.credentials.ts'),
				];
		for (const file of files) {
			try {
				for (const instance of await instancesFrom(file)) {
					if (isNodeType(instance)) addNode(instance);
					else if (isCredentialType(instance)) addCredential(instance);
				}
			} catch (error) {
				types.loadErrors.push({ file: path.relative(root, file), error: (error as Error).message });
			}
		}
	}
	for (const entry of options.nodes ?? [])
		addNode(typeof entry === 'function' ? new entry() : entry, true);
	for (const entry of options.credentials ?? [])
		addCredential(typeof entry === 'function' ? new entry() : entry);
	return types;
}

let defaultTypes: Promise<PackageTypes> | undefined;

/** The package's own types, discovered once per test file. */
export async function getDefaultTypes(): Promise<PackageTypes> {
	defaultTypes ??= loadPackageTypes();
	return await defaultTypes;
}

/** `INodeTypes` over a `PackageTypes`, accepting short, installed (`<package>.<name>`) and `CUSTOM.` names. */
export class PackageNodeTypes implements INodeTypes {
	constructor(private readonly types: PackageTypes) {}

	resolveName(nodeType: string): string {
		const short = nodeType.startsWith('n8n-nodes-base.')
			? nodeType.slice('n8n-nodes-base.'.length)
			: nodeType.replace(new RegExp(`^(${PACKAGE_NAME}|CUSTOM)\\.`), '');
		if (!this.types.nodes.has(short)) {
			const errors = this.types.loadErrors
				.map(({ file, error }) => `\n  ${file}: ${error}`)
				.join('');
			throw new UnexpectedError(
				`Unknown node type "${nodeType}" (known: ${[...this.types.nodes.keys()].join(', ')})` +
					(errors ? `; files that failed to load:${errors}` : ''),
			);
		}
		return short;
	}

	getByName(nodeType: string): AnyNodeType {
		return this.types.nodes.get(this.resolveName(nodeType))!;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

/** A workflow node as tests write it: only `name`, `type` and `parameters` are required. */
export type TestNode = Partial<INode> & Pick<INode, 'name' | 'type'>;

export interface TestWorkflow {
	nodes: TestNode[];
	connections: IConnections;
	settings?: IWorkflowBase['settings'];
	pinData?: IPinData;
}

export interface RunOptions {
	/**
	 * Stored credential data by credential type (as n8n would hold it decrypted, `oauthTokenData` included), or a
	 * `CredentialStore` shared with other runs.
	 */
	credentials?: CredentialsInput;
	/** Workflow static data (`{ global?: {...}, 'node:<name>'?: {...} }`), e.g. the `staticData` of an earlier run. */
	staticData?: IDataObject;
	/** Execution mode; 'manual' by default (what the editor's "Execute workflow" uses). */
	mode?: WorkflowExecuteMode;
	types?: PackageTypes;
	/**
	 * Items a trigger emitted (e.g. `pollOnce(...).items` or `callWebhook(...).items`): in a non-manual mode the
	 * start node passes them on, which is how n8n runs a workflow after a poll or webhook. Default `[{ json: {} }]`.
	 */
	triggerItems?: INodeExecutionData[];
	/** Name of the node to start from; default: the workflow's start node (its trigger). */
	startNode?: string;
	timezone?: string;
}

export interface ContextFixture {
	workflow: Workflow;
	nodes: INode[];
	nodeTypes: PackageNodeTypes;
	credentialsHelper: InMemoryCredentialsHelper;
	additionalData: IWorkflowExecuteAdditionalData;
}

const plain = <T>(value: T): T =>
	value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);

function defaultVersion(type: AnyNodeType): number {
	if ('nodeVersions' in type) return type.currentVersion;
	const { version } = type.description;
	return Array.isArray(version) ? Math.max(...version) : version;
}

function completeNode(
	node: TestNode,
	index: number,
	nodeTypes: PackageNodeTypes,
	store: CredentialStore,
): INode {
	const type = nodeTypes.getByName(node.type);
	const typeVersion = node.typeVersion ?? defaultVersion(type);
	const description = NodeHelpers.getVersionedNodeType(type, typeVersion).description;
	const nodeCredentials = { ...(node.credentials ?? {}) };
	for (const { name } of description.credentials ?? []) {
		if (store.data.has(name) && nodeCredentials[name] === undefined) {
			nodeCredentials[name] = { id: store.credentialId(name), name: `${name} (test)` };
		}
	}
	return {
		id: `node-${index}`,
		position: [index * 200, 0],
		parameters: {},
		...node,
		typeVersion,
		credentials: Object.keys(nodeCredentials).length > 0 ? nodeCredentials : undefined,
	};
}

function buildAdditionalData(
	credentialsHelper: InMemoryCredentialsHelper,
	hooks: ExecutionLifecycleHooks | undefined,
	executionId: string,
): IWorkflowExecuteAdditionalData {
	const unsupported = (what: string) => async () => {
		throw new UnexpectedError(`${what} is not available in the in-process test runner`);
	};
	return {
		credentialsHelper,
		hooks,
		executionId,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formBaseUrl: 'http://localhost:5678/form',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		formTestBaseUrl: 'http://localhost:5678/form-test',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		mcpBaseUrl: 'http://localhost:5678/mcp',
		mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
		variables: {},
		executeWorkflow: unsupported('Executing a sub-workflow'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: unsupported('A task runner'),
	} as unknown as IWorkflowExecuteAdditionalData;
}

let executionCounter = 0;

/** Builds the workflow, credentials store and additional data shared by every entry point. */
export async function createContextFixture(
	testWorkflow: TestWorkflow,
	options: RunOptions & { hooks?: ExecutionLifecycleHooks; executionId?: string } = {},
): Promise<ContextFixture> {
	const types = options.types ?? (await getDefaultTypes());
	const nodeTypes = new PackageNodeTypes(types);
	const credentialTypes = new CredentialTypeRegistry(types.credentials.values());
	const store =
		options.credentials instanceof CredentialStore
			? options.credentials
			: new CredentialStore(options.credentials ?? {});
	const credentialsHelper = new InMemoryCredentialsHelper(credentialTypes, store);
	const nodes = testWorkflow.nodes.map((node, index) =>
		completeNode(node, index, nodeTypes, store),
	);
	const workflow = new Workflow({
		id: 'test-workflow',
		name: 'Test workflow',
		nodes,
		connections: testWorkflow.connections,
		active: false,
		nodeTypes,
		staticData: plain(options.staticData ?? {}),
		settings: {
			executionOrder: 'v1',
			timezone: options.timezone ?? 'UTC',
			...(testWorkflow.settings ?? {}),
		},
		pinData: testWorkflow.pinData,
	});
	const executionId = options.executionId ?? String(++executionCounter);
	const additionalData = buildAdditionalData(credentialsHelper, options.hooks, executionId);
	return { workflow, nodes, nodeTypes, credentialsHelper, additionalData };
}

export interface RunResult {
	run: IRun;
	runData: IRunData;
	/** Items of one output of a node's run (output 0, run 0 by default); [] when the node did not run. */
	outputOf(nodeName: string, outputIndex?: number, runIndex?: number): INodeExecutionData[];
	/** All outputs of a node's run (e.g. [success, error] with `onError: 'continueErrorOutput'`). */
	outputsOf(nodeName: string, runIndex?: number): INodeExecutionData[][];
	/** The error a node's run ended with, if it failed (undefined when it succeeded or continued on fail). */
	nodeErrorOf(nodeName: string, runIndex?: number): ExecutionError | undefined;
	/** Names of the nodes in the order they finished. */
	executionOrder: string[];
	/** The execution's error (first failing node's error), if it failed. */
	error: ExecutionError | undefined;
	/** Workflow static data after the run, plain JSON (pass it as `staticData` to the next run). */
	staticData: IDataObject;
	/** Stored credential data after the run: refreshed OAuth2 tokens and pre-authentication tokens included. */
	credentialsAfter: Credentials;
	credentialEvents: CredentialEvent[];
}

/** Runs a workflow through n8n-core's `WorkflowExecute`, the way n8n's node test harness does. */
export async function runWorkflow(
	testWorkflow: TestWorkflow,
	options: RunOptions = {},
): Promise<RunResult> {
	const mode = options.mode ?? 'manual';
	const executionId = String(++executionCounter);
	const hooks = new ExecutionLifecycleHooks(mode, executionId, {
		id: 'test-workflow',
		name: 'Test workflow',
		active: false,
		isArchived: false,
		nodes: [],
		connections: testWorkflow.connections,
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	} as unknown as IWorkflowBase);
	const executionOrder: string[] = [];
	hooks.addHandler('nodeExecuteAfter', (nodeName) => {
		executionOrder.push(nodeName);
	});
	let resolveFinished: (run: IRun) => void = () => {};
	const finished = new Promise<IRun>((resolve) => (resolveFinished = resolve));
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => resolveFinished(fullRunData));

	const fixture = await createContextFixture(testWorkflow, { ...options, hooks, executionId });
	const { workflow, credentialsHelper, additionalData } = fixture;
	const startNode = options.startNode
		? workflow.getNode(options.startNode)
		: workflow.getStartNode();
	if (!startNode)
		throw new UnexpectedError('The workflow has no start node (add a trigger, or pass startNode)');

	const runExecutionData = createRunExecutionData({
		resultData: { runData: {}, pinData: testWorkflow.pinData },
		executionData: {
			nodeExecutionStack: [
				{ node: startNode, data: { main: [options.triggerItems ?? [{ json: {} }]] }, source: null },
			],
		},
	});

	const workflowExecute = new WorkflowExecute(additionalData, mode, runExecutionData);
	// The hook delivers the final run data; awaiting both surfaces an engine failure instead of hanging.
	const [, run] = await Promise.all([workflowExecute.processRunExecutionData(workflow), finished]);
	const runData = run.data.resultData.runData;
	const outputsOf = (nodeName: string, runIndex = 0) =>
		(runData[nodeName]?.[runIndex]?.data?.main ?? []).map((items) => items ?? []);
	return {
		run,
		runData,
		outputsOf,
		outputOf: (nodeName, outputIndex = 0, runIndex = 0) =>
			outputsOf(nodeName, runIndex)[outputIndex] ?? [],
		nodeErrorOf: (nodeName, runIndex = 0) => runData[nodeName]?.[runIndex]?.error,
		executionOrder,
		error: run.data.resultData.error,
		staticData: plain(workflow.staticData),
		credentialsAfter: credentialsHelper.snapshot(),
		credentialEvents: credentialsHelper.events,
	};
}

export interface RunNodeResult extends RunResult {
	/** Output 0 of the node under test. */
	items: INodeExecutionData[];
	/** Every output of the node under test. */
	outputs: INodeExecutionData[][];
	nodeName: string;
}

export interface RunNodeOptions extends Omit<RunOptions, 'credentials' | 'startNode'> {
	/** Extra node fields, e.g. `{ onError: 'continueRegularOutput' }` or `typeVersion`. */
	node?: Partial<INode>;
}

/**
 * Manual Trigger → node under test, with `inputItems` pinned on the trigger (as the editor does with pinned data),
 * so the node receives exactly those items. Returns the node's outputs with pairedItem.
 */
export async function runNode(
	nodeType: string,
	parameters: INodeParameters,
	inputItems: INodeExecutionData[] | IDataObject[] = [{ json: {} }],
	credentials: CredentialsInput = {},
	options: RunNodeOptions = {},
): Promise<RunNodeResult> {
	const types = options.types ?? (await getDefaultTypes());
	const nodeTypes = new PackageNodeTypes(types);
	const description = NodeHelpers.getVersionedNodeType(
		nodeTypes.getByName(nodeType),
		options.node?.typeVersion,
	).description;
	const nodeName = options.node?.name ?? description.defaults.name ?? 'Node';
	const items = (inputItems as Array<INodeExecutionData | IDataObject>).map((item) =>
		typeof item.json === 'object' && item.json !== null
			? (item as INodeExecutionData)
			: { json: item as IDataObject },
	);
	const result = await runWorkflow(
		{
			nodes: [
				{ name: 'Manual Trigger', type: MANUAL_TRIGGER_TYPE, parameters: {} },
				{ ...options.node, name: nodeName, type: nodeType, parameters },
			],
			connections: { 'Manual Trigger': { main: [[{ node: nodeName, type: 'main', index: 0 }]] } },
			pinData: { 'Manual Trigger': items },
		},
		{ ...options, types, credentials },
	);
	return {
		...result,
		nodeName,
		outputs: result.outputsOf(nodeName),
		items: result.outputOf(nodeName),
	};
}

function singleNodeWorkflow(
	nodeType: string,
	parameters: INodeParameters,
	name?: string,
): TestWorkflow {
	return {
		nodes: [{ name: name ?? 'Node Under Test', type: nodeType, parameters }],
		connections: {},
	};
}

export interface PollOptions {
	credentials?: CredentialsInput;
	/** Static data from the previous poll (`staticData` of its result); {} for the first poll. */
	staticData?: IDataObject;
	/** 'trigger' (an active workflow's poll, the default) or 'manual' (the editor's "Fetch test event"). */
	mode?: WorkflowExecuteMode;
	/** `getActivationMode()`: 'activate' by default, 'manual' in manual mode (as WorkflowExecute's test poll). */
	activation?: WorkflowActivateMode;
	types?: PackageTypes;
	nodeName?: string;
}

export interface PollResult {
	/** `poll()`'s return value (null when there was nothing new). */
	outputs: INodeExecutionData[][] | null;
	items: INodeExecutionData[];
	staticData: IDataObject;
	credentialsAfter: Credentials;
	credentialEvents: CredentialEvent[];
}

/** Runs a polling trigger's `poll()` once with a real `PollContext`, like one tick of an active workflow. */
export async function pollOnce(
	triggerType: string,
	parameters: INodeParameters,
	options: PollOptions = {},
): Promise<PollResult> {
	const { workflow, nodes, credentialsHelper, additionalData } = await createContextFixture(
		singleNodeWorkflow(triggerType, parameters, options.nodeName),
		options,
	);
	const mode = options.mode ?? 'trigger';
	const context = new PollContext(
		workflow,
		nodes[0],
		additionalData,
		mode,
		options.activation ?? (mode === 'manual' ? 'manual' : 'activate'),
	);
	const outputs = await Container.get(TriggersAndPollers).runPollFunction(
		workflow,
		nodes[0],
		context,
	);
	return {
		outputs,
		items: outputs?.[0] ?? [],
		staticData: plain(workflow.staticData),
		credentialsAfter: credentialsHelper.snapshot(),
		credentialEvents: credentialsHelper.events,
	};
}

export interface WebhookCallOptions {
	credentials?: CredentialsInput;
	staticData?: IDataObject;
	headers?: Record<string, string>;
	/**
	 * The exact bytes sent (`getRequestObject().rawBody`). Parsed into `getBodyData()` by content type the way n8n's
	 * body parser does: application/json, application/x-www-form-urlencoded, text/plain; anything else (or no
	 * content type) leaves the body `{}`. Invalid JSON is answered 422 without calling `webhook()`, like n8n, unless
	 * the node opts out of parsing the way n8n allows (type version 1 with options.binaryData set).
	 */
	rawBody?: string | Buffer;
	method?: string;
	query?: IDataObject;
	params?: IDataObject;
	/** 'webhook' (production URL, default) or 'manual' (test URL). */
	mode?: WorkflowExecuteMode;
	webhookName?: string;
	types?: PackageTypes;
	nodeName?: string;
}

export interface CapturedResponse {
	statusCode: number;
	headers: Record<string, string>;
	body: string;
	/** 'node' when `webhook()` wrote the response itself, 'n8n' for n8n's default reply, 'none' otherwise. */
	writtenBy: 'node' | 'n8n' | 'none';
}

export interface WebhookCallResult {
	/** False when n8n's body parser rejected the request (422) before `webhook()` could run. */
	webhookCalled: boolean;
	webhookResponse: IWebhookResponseData;
	/** `workflowData` the trigger emitted (what would start the workflow); undefined when it emitted nothing. */
	workflowData: INodeExecutionData[][] | undefined;
	items: INodeExecutionData[];
	response: CapturedResponse;
	staticData: IDataObject;
	credentialsAfter: Credentials;
}

/** Collects what a node writes through Express's response API (the subset webhook nodes use). */
function createResponseRecorder() {
	const captured: CapturedResponse = { statusCode: 200, headers: {}, body: '', writtenBy: 'none' };
	const write = (body: unknown) => {
		captured.writtenBy = 'node';
		if (body === undefined) return;
		if (Buffer.isBuffer(body) || typeof body === 'string') captured.body += body.toString();
		else {
			captured.body += JSON.stringify(body);
			captured.headers['content-type'] ??= 'application/json; charset=utf-8';
		}
	};
	const response = {
		get headersSent() {
			return captured.writtenBy !== 'none';
		},
		status(code: number) {
			captured.statusCode = code;
			return response;
		},
		sendStatus(code: number) {
			captured.statusCode = code;
			write(String(code));
			return response;
		},
		setHeader(name: string, value: string | number | string[]) {
			captured.headers[name.toLowerCase()] = String(value);
			return response;
		},
		header(name: string, value: string) {
			return response.setHeader(name, value);
		},
		set(name: string, value: string) {
			return response.setHeader(name, value);
		},
		getHeader(name: string) {
			return captured.headers[name.toLowerCase()];
		},
		writeHead(code: number, headers: Record<string, string> = {}) {
			captured.statusCode = code;
			for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
			return response;
		},
		write(chunk: unknown) {
			write(chunk);
			return true;
		},
		send(body?: unknown) {
			write(body ?? '');
			return response;
		},
		json(body: unknown) {
			captured.headers['content-type'] = 'application/json; charset=utf-8';
			write(JSON.stringify(body));
			return response;
		},
		end(body?: unknown) {
			write(body ?? '');
			return response;
		},
	};
	return { response, captured };
}

function parseContentType(header: string | undefined): {
	contentType?: string;
	encoding: BufferEncoding;
} {
	if (!header) return { encoding: 'utf-8' };
	const [mediaType, ...params] = header.split(';');
	const charset = params
		.map((param) => param.trim().split('='))
		.find(([name]) => name.toLowerCase() === 'charset')?.[1];
	const encoding = (charset?.toLowerCase().replace(/^"|"$/g, '') ?? 'utf-8') as BufferEncoding;
	return {
		contentType: mediaType.trim().toLowerCase(),
		encoding: Buffer.isEncoding(encoding) ? encoding : 'utf-8',
	};
}

/** n8n's webhook body parser (packages/cli/src/middlewares/body-parser.ts), without XML. */
function parseBody(
	rawBody: Buffer,
	contentType: string | undefined,
	encoding: BufferEncoding,
): unknown {
	if (rawBody.length === 0 || contentType === undefined) return {};
	const text = rawBody.toString(encoding);
	if (contentType === 'application/json') return jsonParse(text);
	if (contentType === 'application/x-www-form-urlencoded') return { ...parseQueryString(text) };
	if (contentType === 'text/plain') return text;
	return {};
}

function headerRecord(headers: Record<string, string>): Record<string, string> {
	return Object.fromEntries(
		Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
	);
}

/** Runs a webhook trigger's `webhook()` with a real `WebhookContext` for one incoming request. */
export async function callWebhook(
	triggerType: string,
	parameters: INodeParameters,
	options: WebhookCallOptions = {},
): Promise<WebhookCallResult> {
	const { workflow, nodes, nodeTypes, credentialsHelper, additionalData } =
		await createContextFixture(
			singleNodeWorkflow(triggerType, parameters, options.nodeName),
			options,
		);
	const node = nodes[0];
	const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	if (typeof nodeType.webhook !== 'function') {
		throw new UnexpectedError(`Node type "${triggerType}" has no webhook() method`);
	}
	const webhookDescription =
		nodeType.description.webhooks?.find(
			(hook) => hook.name === (options.webhookName ?? 'default'),
		) ?? nodeType.description.webhooks?.[0];
	if (!webhookDescription)
		throw new UnexpectedError(`Node type "${triggerType}" declares no webhooks`);

	const headers = headerRecord(options.headers ?? {});
	const rawBody = Buffer.isBuffer(options.rawBody)
		? options.rawBody
		: Buffer.from(options.rawBody ?? '');
	const { contentType, encoding } = parseContentType(headers['content-type']);
	if (contentType?.endsWith('/xml') || contentType?.endsWith('+xml')) {
		throw new UnexpectedError('XML webhook bodies are not parsed by the in-process runner');
	}
	// n8n's parseRequestBody (packages/cli webhook-helpers): a start node at type version 1 whose
	// options.binaryData is set gets its body unparsed (and unread: rawBody is only there after readRawBody());
	// above version 1 only JSON, text, form and XML bodies are parsed.
	const resolved = node.parameters as { options?: { binaryData?: unknown } };
	const unparsed = node.typeVersion === 1 && Boolean(resolved.options?.binaryData);
	const parsedType =
		node.typeVersion === 1 ||
		['application/json', 'text/plain', 'application/x-www-form-urlencoded'].some((type) =>
			contentType?.startsWith(type),
		);
	let body: unknown = {};
	try {
		if (!unparsed && parsedType) body = parseBody(rawBody, contentType, encoding);
	} catch (error) {
		// n8n's body parser rejects the request before the node sees it (UnprocessableRequestError).
		return {
			webhookCalled: false,
			webhookResponse: {},
			workflowData: undefined,
			items: [],
			response: {
				statusCode: 422,
				headers: { 'content-type': 'application/json; charset=utf-8' },
				body: JSON.stringify({
					code: 422,
					message: 'Failed to parse request body',
					hint: (error as Error).message,
				}),
				writtenBy: 'n8n',
			},
			staticData: plain(workflow.staticData),
			credentialsAfter: credentialsHelper.snapshot(),
		};
	}
	const method = (options.method ?? String(webhookDescription.httpMethod ?? 'POST')).toUpperCase();
	const request = {
		method,
		url: `/webhook/test-workflow/${String(webhookDescription.path)}`,
		headers,
		contentType,
		encoding,
		body,
		rawBody: unparsed ? undefined : rawBody,
		readRawBody: async function (this: { rawBody?: Buffer }) {
			this.rawBody ??= rawBody;
		},
		query: options.query ?? {},
		params: options.params ?? {},
		get: (name: string) => headers[name.toLowerCase()],
		header: (name: string) => headers[name.toLowerCase()],
	};
	const { response, captured } = createResponseRecorder();
	additionalData.httpRequest = request as unknown as IWorkflowExecuteAdditionalData['httpRequest'];
	additionalData.httpResponse =
		response as unknown as IWorkflowExecuteAdditionalData['httpResponse'];

	const mode = options.mode ?? 'webhook';
	const webhookData = {
		httpMethod: method,
		node: node.name,
		path: String(webhookDescription.path),
		webhookDescription,
		workflowId: workflow.id,
		workflowExecuteAdditionalData: additionalData,
		isTest: mode === 'manual',
	} as unknown as IWebhookData;
	const context = new WebhookContext(workflow, node, additionalData, mode, webhookData, [], null);
	const webhookResponse = await nodeType.webhook.call(context);

	if (captured.writtenBy === 'none' && webhookResponse.noWebhookResponse !== true) {
		// n8n answers for the node: onReceived → 200 with a fixed message unless responseData says otherwise.
		captured.writtenBy = 'n8n';
		captured.statusCode = 200;
		const responseData = workflow.expression.getSimpleParameterValue(
			node,
			webhookDescription.responseData as string | undefined,
			mode,
			{},
			undefined,
			'firstEntryJson',
		);
		captured.body =
			webhookResponse.webhookResponse !== undefined
				? JSON.stringify(webhookResponse.webhookResponse)
				: responseData === 'noData'
					? ''
					: JSON.stringify({ message: 'Workflow was started' });
	}
	return {
		webhookCalled: true,
		webhookResponse,
		workflowData: webhookResponse.workflowData,
		items: webhookResponse.workflowData?.[0] ?? [],
		response: captured,
		staticData: plain(workflow.staticData),
		credentialsAfter: credentialsHelper.snapshot(),
	};
}

export interface WebhookMethodResult {
	result: boolean;
	staticData: IDataObject;
	credentialsAfter: Credentials;
}

/**
 * Runs one of a webhook trigger's lifecycle methods (`webhookMethods.<webhookName>.checkExists|create|delete`)
 * with a real `HookContext`, as n8n does on activation ('activate') and deactivation.
 */
export async function runWebhookMethod(
	triggerType: string,
	method: 'checkExists' | 'create' | 'delete',
	parameters: INodeParameters,
	options: Omit<WebhookCallOptions, 'headers' | 'rawBody' | 'query' | 'params' | 'method'> & {
		activation?: WorkflowActivateMode;
	} = {},
): Promise<WebhookMethodResult> {
	const { workflow, nodes, nodeTypes, credentialsHelper, additionalData } =
		await createContextFixture(
			singleNodeWorkflow(triggerType, parameters, options.nodeName),
			options,
		);
	const node = nodes[0];
	const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const webhookName = options.webhookName ?? 'default';
	const webhookDescription = nodeType.description.webhooks?.find(
		(hook) => hook.name === webhookName,
	);
	const methods = nodeType.webhookMethods as
		| Record<
				string,
				Record<string, ((this: HookContext) => Promise<boolean>) | undefined> | undefined
		  >
		| undefined;
	const fn = methods?.[webhookName]?.[method];
	if (!webhookDescription || typeof fn !== 'function') {
		throw new UnexpectedError(
			`Node type "${triggerType}" has no webhookMethods.${webhookName}.${method}`,
		);
	}
	const mode = options.mode ?? 'webhook';
	const webhookData = {
		httpMethod: String(webhookDescription.httpMethod ?? 'POST'),
		node: node.name,
		path: String(webhookDescription.path),
		webhookDescription,
		workflowId: workflow.id,
		workflowExecuteAdditionalData: additionalData,
		isTest: mode === 'manual',
	} as unknown as IWebhookData;
	const context = new HookContext(
		workflow,
		node,
		additionalData,
		mode,
		options.activation ?? 'activate',
		webhookData,
	);
	const result = await fn.call(context);
	return {
		result,
		staticData: plain(workflow.staticData),
		credentialsAfter: credentialsHelper.snapshot(),
	};
}

/** The editor's "Temp-Node" setup for dynamic parameters (n8n: cli dynamic-node-parameters.service). */
async function loadOptionsContext(
	nodeType: string,
	kind: 'loadOptions' | 'listSearch',
	methodName: string,
	parameters: INodeParameters,
	credentials: CredentialsInput,
	types: PackageTypes | undefined,
	path?: string,
) {
	const { workflow, nodes, nodeTypes, additionalData } = await createContextFixture(
		singleNodeWorkflow(nodeType, parameters, 'Temp-Node'),
		{ credentials, types },
	);
	const node = nodes[0];
	const type = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const method = (type.methods?.[kind] as Record<string, unknown> | undefined)?.[methodName];
	if (typeof method !== 'function') {
		throw new UnexpectedError(`Node type "${nodeType}" has no ${kind} method "${methodName}"`);
	}
	additionalData.currentNodeParameters = node.parameters;
	const context = new LoadOptionsContext(
		workflow,
		node,
		additionalData,
		path ?? `parameters.${methodName}`,
	);
	return { context, method };
}

/** Runs a `methods.loadOptions` function with a real `LoadOptionsContext`, as the editor's dropdowns do. */
export async function loadOptions(
	nodeType: string,
	methodName: string,
	parameters: INodeParameters,
	credentials: CredentialsInput = {},
	/** `path`: the dropdown's parameter path as the editor sends it (`parameters.tracking.mapping[0].option`). */
	options: { types?: PackageTypes; path?: string } = {},
): Promise<INodePropertyOptions[]> {
	const { context, method } = await loadOptionsContext(
		nodeType,
		'loadOptions',
		methodName,
		parameters,
		credentials,
		options.types,
		options.path,
	);
	return await (method as (this: LoadOptionsContext) => Promise<INodePropertyOptions[]>).call(
		context,
	);
}

/** Runs a `methods.listSearch` function (resource locator "From list" mode) with a real `LoadOptionsContext`. */
export async function listSearch(
	nodeType: string,
	methodName: string,
	parameters: INodeParameters,
	credentials: CredentialsInput = {},
	options: { types?: PackageTypes; filter?: string; paginationToken?: string } = {},
): Promise<INodeListSearchResult> {
	const { context, method } = await loadOptionsContext(
		nodeType,
		'listSearch',
		methodName,
		parameters,
		credentials,
		options.types,
	);
	return await (
		method as (
			this: LoadOptionsContext,
			filter?: string,
			paginationToken?: string,
		) => Promise<INodeListSearchResult>
	).call(context, options.filter, options.paginationToken);
}
