import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { parseOptionalTimestamp } from '../shared/parse';
import type { CommusoftTriggerEvent } from './trigger/events';
import { commusoftTriggerProperties } from './trigger/description';
import { pollChanges, pollTestRun, type TriggerSettings } from './trigger/poll';

export class CommusoftTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Commusoft Trigger',
		name: 'commusoftTrigger',
		icon: { light: 'file:commusoft.svg', dark: 'file:commusoft.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description:
			'Starts the workflow when invoices, customers, payments, credit notes, suppliers or supplier invoices change in Commusoft',
		defaults: { name: 'Commusoft Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'commusoftApi', required: true }],
		properties: commusoftTriggerProperties,
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const events = this.getNodeParameter('events', []) as CommusoftTriggerEvent[];
		if (events.length === 0) {
			throw new NodeOperationError(this.getNode(), 'No event selected', {
				description: 'Choose at least one event under "Events".',
			});
		}
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const backfill = parseOptionalTimestamp(this.getNodeParameter('backfillFrom', ''));
		if (!backfill.ok) {
			throw new NodeOperationError(this.getNode(), `"Backfill From" ${backfill.problem}`, {
				description: `Fix: ${backfill.fix}, or leave it empty.`,
			});
		}
		const backfillFrom = backfill.value ?? '';
		const settings: TriggerSettings = {
			events,
			backfillFrom,
			overlapMs: Math.max(0, Number(options.overlapSeconds ?? 120)) * 1000,
			maxRecordsPerPoll: Math.max(1, Number(options.maxRecordsPerPoll ?? 1000)),
			testRunLimit: Math.max(1, Number(options.testRunLimit ?? 5)),
			ignoreUntrackedChanges: options.ignoreUntrackedChanges === true,
		};
		// Test runs must show real data without consuming changes the active workflow has not seen yet.
		if (this.getMode() === 'manual') return await pollTestRun(this, settings);
		return await pollChanges(this, settings);
	}
}
