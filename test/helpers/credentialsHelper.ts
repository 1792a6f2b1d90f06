import { getAdditionalKeys } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsEncrypted,
	ICredentialsExpressionResolveValues,
	ICredentialType,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import {
	ICredentials,
	ICredentialsHelper,
	isExpression,
	NodeHelpers,
	UnexpectedError,
	Workflow,
} from 'n8n-workflow';

/**
 * An in-memory stand-in for n8n's `CredentialsHelper` (n8n: packages/cli/src/credentials-helper.ts), which in n8n
 * reads encrypted rows from the database. Everything n8n-core asks of it is implemented with n8n's semantics:
 * defaults from the (inherited) credential properties, `={{ }}` expressions with `$self`, generic and function
 * `authenticate`, `preAuthentication` only for types with a hidden `expirable` property (when it is empty or after
 * a 401), and persistence of refreshed OAuth2 token data and pre-authentication output back into the store.
 * The store is keyed by credential type: a test workflow holds one credential of each type.
 */

/** OAuth endpoint fields that n8n takes from the credential type, never from the stored row, when hidden. */
const OAUTH_PINNED_FIELDS = [
	'authUrl',
	'accessTokenUrl',
	'grantType',
	'authentication',
	'requestTokenUrl',
	'signatureMethod',
];

const clone = <T>(value: T): T => structuredClone(value);

/** The one-node workflow n8n builds to resolve credential expressions needs a node type with no parameters. */
const resolverNodeType = {
	description: { name: 'mock', displayName: 'Mock', properties: [], inputs: [], outputs: [] },
} as unknown as INodeType;
const resolverNodeTypes: INodeTypes = {
	getByName: () => resolverNodeType,
	getByNameAndVersion: () => resolverNodeType,
	getKnownTypes: () => ({}),
};

/** Like n8n, `preAuthentication` gets `this.helpers.httpRequest` only, not the node's whole helper bag. */
function onlyHttpRequest(helpers: IHttpRequestHelper): IHttpRequestHelper {
	return {
		helpers: { httpRequest: async (options) => await helpers.helpers.httpRequest(options) },
	};
}

export class CredentialTypeRegistry {
	private readonly types = new Map<string, ICredentialType>();

	constructor(types: Iterable<ICredentialType>) {
		for (const type of types) this.types.set(type.name, type);
	}

	has(name: string) {
		return this.types.has(name);
	}

	getByName(name: string): ICredentialType {
		const type = this.types.get(name);
		if (!type) {
			throw new UnexpectedError(
				`Unknown credential type "${name}" (known: ${[...this.types.keys()].join(', ')})`,
			);
		}
		return type;
	}

	getParentTypes(name: string): string[] {
		const parents = this.types.get(name)?.extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	/** The type's own properties merged over its parents', the way n8n builds the credential form. */
	getProperties(name: string): INodeProperties[] {
		const type = this.getByName(name);
		if (type.extends === undefined) {
			if (name === 'oAuth2Api' || name === 'oAuth1Api') {
				return [
					...type.properties,
					{
						displayName: 'oauthTokenData',
						name: 'oauthTokenData',
						type: 'json',
						required: false,
						default: {},
					},
				];
			}
			return type.properties;
		}
		const merged: INodeProperties[] = [];
		for (const parent of type.extends)
			NodeHelpers.mergeNodeProperties(merged, this.getProperties(parent));
		NodeHelpers.mergeNodeProperties(merged, type.properties);
		return merged;
	}
}

/** Unencrypted `ICredentials`: n8n encrypts with the instance key, which a test has no use for. */
class PlainCredentials extends ICredentials {
	constructor(
		details: INodeCredentialsDetails,
		type: string,
		private readonly store: Map<string, ICredentialDataDecryptedObject>,
	) {
		super(details, type);
	}

	async getData() {
		return clone(this.store.get(this.type) ?? {});
	}

	getDataToSave(): ICredentialsEncrypted {
		return {
			id: this.id,
			name: this.name,
			type: this.type,
			data: JSON.stringify(this.store.get(this.type) ?? {}),
		};
	}

	async setData(data: ICredentialDataDecryptedObject) {
		this.store.set(this.type, clone(data));
	}

	async updateData(toUpdate: ICredentialDataDecryptedObject, toDelete: string[] = []) {
		const data = { ...(this.store.get(this.type) ?? {}), ...clone(toUpdate) };
		for (const key of toDelete) delete data[key];
		this.store.set(this.type, data);
	}
}

export interface CredentialEvent {
	type: string;
	event: 'preAuthentication' | 'oauthTokenUpdated' | 'updated';
}

let storeCounter = 0;

/**
 * Stored (raw) credential data by credential type: what n8n keeps encrypted in its database. Pass one store to
 * several runs to share it the way executions share n8n's database (a refresh in one run is seen by the next,
 * and concurrent runs refresh an OAuth2 token once: n8n-core single-flights refreshes per credential id).
 */
export class CredentialStore {
	/** Prefix of the credential ids nodes carry (n8n-core keys refresh locks by credential id). */
	readonly id = `store${++storeCounter}`;

	readonly data = new Map<string, ICredentialDataDecryptedObject>();

	/** What was written back, in order (token refreshes, pre-authentication results). */
	readonly events: CredentialEvent[] = [];

	constructor(credentials: Record<string, ICredentialDataDecryptedObject> = {}) {
		for (const [type, data] of Object.entries(credentials)) this.data.set(type, clone(data));
	}

	credentialId(type: string) {
		return `${this.id}-${type}`;
	}

	/** A plain copy of the stored data, e.g. to start a later run from. */
	snapshot(): Record<string, ICredentialDataDecryptedObject> {
		return Object.fromEntries([...this.data.entries()].map(([type, data]) => [type, clone(data)]));
	}
}

export class InMemoryCredentialsHelper extends ICredentialsHelper {
	private readonly store: Map<string, ICredentialDataDecryptedObject>;

	readonly events: CredentialEvent[];

	constructor(
		private readonly credentialTypes: CredentialTypeRegistry,
		readonly credentialStore: CredentialStore = new CredentialStore(),
	) {
		super();
		this.store = credentialStore.data;
		this.events = credentialStore.events;
	}

	snapshot(): Record<string, ICredentialDataDecryptedObject> {
		return this.credentialStore.snapshot();
	}

	getParentTypes(name: string): string[] {
		return this.credentialTypes.getParentTypes(name);
	}

	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		if (!this.credentialTypes.has(credentialType)) return true;
		const type = this.credentialTypes.getByName(credentialType);
		if (!type.restrictToSupportedNodes) return true;
		const shortName = nodeType.split('.').pop() ?? nodeType;
		return (type.supportedNodes ?? []).some((name) => name === nodeType || name === shortName);
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.credentialTypes.getProperties(type);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.credentialTypes.getByName(typeName);
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		}
		if (typeof authenticate === 'object' && authenticate.type === 'generic') {
			if (!workflow || !node) {
				throw new UnexpectedError(
					'Workflow and node are required for declarative credential authentication',
				);
			}
			const resolve = (value: string) => {
				if (!isExpression(value)) return value;
				const resolved = workflow.expression.getSimpleParameterValue(
					node,
					value,
					'internal',
					{ $credentials: credentials },
					undefined,
					'',
				);
				return resolved ? String(resolved) : '';
			};
			const target = requestOptions as unknown as Record<string, Record<string, unknown>>;
			for (const [section, entries] of Object.entries(authenticate.properties)) {
				target[section] ??= {};
				for (const [key, value] of Object.entries(entries as Record<string, string>)) {
					target[section][resolve(key)] = resolve(value);
				}
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.credentialTypes.getByName(typeName);
		const expirable = type.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (expirable === undefined || typeof type.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;

		const output = (await type.preAuthentication.call(
			helpers,
			credentials,
		)) as ICredentialDataDecryptedObject;
		this.events.push({ type: typeName, event: 'preAuthentication' });
		// Like n8n: only output that carries the expirable property is persisted and merged.
		if (output[expirable.name] === undefined || !node.credentials) return undefined;
		const stored = this.store.get(typeName) ?? {};
		const toPersist = { ...stored };
		for (const [key, value] of Object.entries(output)) {
			if (key === expirable.name || !isExpression(stored[key])) toPersist[key] = value;
		}
		await this.updateCredentials(node.credentials[typeName], typeName, toPersist);
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.credentialTypes.getByName(typeName);
		if (typeof type.preAuthentication !== 'function') return undefined;
		const output = await type.preAuthentication.call(onlyHttpRequest(helpers), credentials);
		return (output as ICredentialDataDecryptedObject | undefined) ?? undefined;
	}

	async getCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentials> {
		return new PlainCredentials(nodeCredentials, type, this.store);
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const stored = this.store.get(type);
		if (stored === undefined) {
			throw new UnexpectedError(
				`No credential data for type "${type}" (node credential "${nodeCredentials.name}"); pass it in options.credentials`,
			);
		}
		if (raw === true) return clone(stored);

		const properties = this.getCredentialsProperties(type);
		const data = clone(stored);
		for (const field of OAUTH_PINNED_FIELDS) {
			if (properties.some((property) => property.name === field && property.type === 'hidden'))
				delete data[field];
		}
		let decrypted = NodeHelpers.getNodeParameters(
			properties,
			data as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		if (stored.oauthTokenData !== undefined)
			decrypted.oauthTokenData = clone(stored.oauthTokenData);

		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });
		if (expressionResolveValues) {
			decrypted = expressionResolveValues.workflow.expression.getParameterValue(
				decrypted as INodeParameters,
				expressionResolveValues.runExecutionData,
				expressionResolveValues.runIndex,
				expressionResolveValues.itemIndex,
				expressionResolveValues.node.name,
				expressionResolveValues.connectionInputData,
				mode,
				additionalKeys,
				executeData,
				false,
				decrypted,
			) as ICredentialDataDecryptedObject;
		} else {
			const mockNode: INode = {
				id: 'credential-resolver',
				name: '',
				typeVersion: 1,
				type: 'mock',
				position: [0, 0],
				parameters: {},
			};
			const workflow = new Workflow({
				nodes: [mockNode],
				connections: {},
				active: false,
				nodeTypes: resolverNodeTypes,
			});
			decrypted = workflow.expression.getComplexParameterValue(
				mockNode,
				decrypted as INodeParameters,
				mode,
				additionalKeys,
				undefined,
				undefined,
				decrypted,
			) as ICredentialDataDecryptedObject;
		}
		return decrypted;
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store.set(type, clone(data));
		this.events.push({ type, event: 'updated' });
	}

	async updateCredentialsOauthTokenData(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store.set(type, {
			...(this.store.get(type) ?? {}),
			oauthTokenData: clone(data.oauthTokenData),
		});
		this.events.push({ type, event: 'oauthTokenUpdated' });
	}
}
