import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import * as customer from './customer/Customer.resource';
import * as invoice from './invoice/Invoice.resource';
import * as job from './job/Job.resource';
import * as payment from './payment/Payment.resource';

type Operation = { execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> };

const resources: Record<string, Record<string, Operation>> = {
	customer: {
		create: customer.create,
		get: customer.get,
		getMany: customer.getMany,
		importFromXero: customer.importFromXero,
		update: customer.update,
		updateXeroBalanceSummary: customer.updateXeroBalanceSummary,
		upsert: customer.upsert,
	},
	invoice: { get: invoice.get, getMany: invoice.getMany },
	payment: { create: payment.create, getMany: payment.getMany },
	job: { get: job.get },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = resources[resource]?.[operation];
	if (!handler) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" is not supported for resource "${resource}"`,
		);
	}
	return [await handler.execute.call(this)];
}
