import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ThrottleLimits, XeroTransportOptions } from '../transport';

/** Every Xero node has this (ARCHITECTURE.md): organisations from GET /connections, or an expression. */
export const tenantProperty: INodeProperties = {
	displayName: 'Organisation Name or ID',
	name: 'tenantId',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getTenants' },
	required: true,
	default: '',
	description:
		'The Xero organisation (tenant) to work in; an expression may give its ID or its exact name. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

/** Transport knobs shown on every operation; defaults follow docs/xero-rules.md §1.5. */
export const requestOptionsProperty: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'Calls Per Minute',
			name: 'callsPerMinute',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 60 },
			default: 60,
			description:
				"Most calls this node starts per minute and organisation (Xero allows 60). Lower it to leave room for other apps on the same connection; Xero's X-MinLimit-Remaining header also slows the node down when others are busy.",
		},
		{
			displayName: 'Max Concurrent Calls',
			name: 'maxConcurrent',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 5 },
			default: 5,
			description: 'Most calls in flight at once per organisation (Xero allows 5)',
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: 4,
			description:
				'How many times a call is retried after a Xero server error (5xx), a timeout or a dropped connection before the item fails. 429 rate limits are always waited out (Retry-After).',
		},
		{
			displayName: 'Rate Window (Ms)',
			name: 'rateWindowMs',
			type: 'number',
			typeOptions: { minValue: 100 },
			default: 60000,
			description:
				"Length of Xero's minute window. Only change it for a time-scaled sandbox or a proxy with its own window.",
		},
		{
			displayName: 'Retry Delay (Ms)',
			name: 'retryDelayMs',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 1000,
			description:
				'First wait before a retry; each further retry waits about twice as long (with jitter), at most 30 seconds',
		},
		{
			displayName: 'Timeout (Ms)',
			name: 'timeoutMs',
			type: 'number',
			typeOptions: { minValue: 1000 },
			default: 60000,
			description: 'How long to wait for Xero to answer one call',
		},
	],
};

export function readTransportOptions(ctx: IExecuteFunctions): Partial<XeroTransportOptions> {
	const raw = ctx.getNodeParameter('requestOptions', 0, {}) as {
		maxRetries?: number;
		retryDelayMs?: number;
		timeoutMs?: number;
		callsPerMinute?: number;
		maxConcurrent?: number;
		rateWindowMs?: number;
	};
	const options: Partial<XeroTransportOptions> = {};
	const throttle: Partial<ThrottleLimits> = {};
	if (typeof raw.callsPerMinute === 'number') {
		throttle.perMinute = Math.min(60, Math.max(1, Math.floor(raw.callsPerMinute)));
	}
	if (typeof raw.maxConcurrent === 'number') {
		throttle.concurrency = Math.min(5, Math.max(1, Math.floor(raw.maxConcurrent)));
	}
	if (typeof raw.rateWindowMs === 'number') throttle.windowMs = Math.max(100, raw.rateWindowMs);
	if (Object.keys(throttle).length) options.throttle = throttle as ThrottleLimits;
	if (typeof raw.maxRetries === 'number')
		options.maxRetries = Math.max(0, Math.floor(raw.maxRetries));
	if (typeof raw.retryDelayMs === 'number') {
		options.backoff = { baseDelayMs: Math.max(0, raw.retryDelayMs), maxDelayMs: 30_000 };
	}
	if (typeof raw.timeoutMs === 'number') options.timeoutMs = Math.max(1000, raw.timeoutMs);
	return options;
}
