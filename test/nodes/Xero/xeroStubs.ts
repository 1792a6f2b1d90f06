// Routes every fast Xero test needs: the organisation list. Each test file uses its own tenant id, so the
// package's per-process caches (organisation settings, known numbers, throttle) never carry over between files.
import { ok, route, type StubRoute } from '../../helpers/stubbedHttp';

export function connectionsRoute(tenantId: string, tenantName = 'Demo Plumbing Ltd'): StubRoute {
	return route('GET', '/connections', () =>
		ok([{ id: `conn-${tenantId}`, tenantId, tenantName, tenantType: 'ORGANISATION' }]),
	);
}
