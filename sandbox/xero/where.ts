// A safe subset of Xero's `where` filter language (docs/xero-rules.md §3.6): comparisons (== != > < >= <=), AND/OR
// (also && ||), NOT, parentheses, dotted field paths, Guid("…"), DateTime(y,m,d[,h,m,s]), strings, numbers,
// booleans, null and the string methods Contains/StartsWith/EndsWith/ToLower/ToUpper. Anything else is a
// WhereError, which the server turns into a 400 QueryParseException instead of evaluating arbitrary input.

export class WhereError extends Error {}

type Token = { kind: 'ident' | 'string' | 'number' | 'op' | 'punct'; value: string };

type Expr =
	| { t: 'or' | 'and'; l: Expr; r: Expr }
	| { t: 'not'; e: Expr }
	| { t: 'cmp'; op: string; l: Operand; r: Operand }
	| { t: 'truthy'; v: Operand };

type Operand =
	| { t: 'lit'; v: unknown }
	| { t: 'path'; path: string[]; calls: { name: string; arg?: unknown }[] };

function tokenize(src: string): Token[] {
	const tokens: Token[] = [];
	let i = 0;
	while (i < src.length) {
		const c = src[i];
		if (/\s/.test(c)) {
			i++;
			continue;
		}
		if (c === '"') {
			let j = i + 1;
			let s = '';
			while (j < src.length && src[j] !== '"') {
				if (src[j] === '\\' && j + 1 < src.length) j++;
				s += src[j++];
			}
			if (j >= src.length) throw new WhereError('Unterminated string literal');
			tokens.push({ kind: 'string', value: s });
			i = j + 1;
			continue;
		}
		const two = src.slice(i, i + 2);
		if (['==', '!=', '>=', '<=', '&&', '||'].includes(two)) {
			tokens.push({ kind: 'op', value: two });
			i += 2;
			continue;
		}
		if (c === '>' || c === '<') {
			tokens.push({ kind: 'op', value: c });
			i++;
			continue;
		}
		if (c === '=') {
			// Xero tolerates a single '=' in simple filters (e.g. `Status="DRAFT"`).
			tokens.push({ kind: 'op', value: '==' });
			i++;
			continue;
		}
		if (c === '!') {
			tokens.push({ kind: 'ident', value: 'NOT' });
			i++;
			continue;
		}
		if ('(),.'.includes(c)) {
			tokens.push({ kind: 'punct', value: c });
			i++;
			continue;
		}
		const num = /^-?\d+(\.\d+)?/.exec(src.slice(i));
		if (num && (c !== '-' || tokens.length === 0 || tokens[tokens.length - 1].kind !== 'ident')) {
			tokens.push({ kind: 'number', value: num[0] });
			i += num[0].length;
			continue;
		}
		const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
		if (ident) {
			tokens.push({ kind: 'ident', value: ident[0] });
			i += ident[0].length;
			continue;
		}
		throw new WhereError(`Unexpected character '${c}' at position ${i}`);
	}
	return tokens;
}

const STRING_METHODS = new Set(['contains', 'startswith', 'endswith', 'tolower', 'toupper']);

class Parser {
	private i = 0;
	constructor(private readonly tokens: Token[]) {}

	parse(): Expr {
		const e = this.or();
		if (this.i < this.tokens.length)
			throw new WhereError(`Unexpected '${this.tokens[this.i].value}'`);
		return e;
	}
	private peek(): Token | undefined {
		return this.tokens[this.i];
	}
	private isWord(word: string): boolean {
		const t = this.peek();
		return !!t && t.kind === 'ident' && t.value.toUpperCase() === word;
	}
	private expectPunct(p: string): void {
		const t = this.tokens[this.i++];
		if (!t || t.kind !== 'punct' || t.value !== p) throw new WhereError(`Expected '${p}'`);
	}
	private or(): Expr {
		let l = this.and();
		while (this.isWord('OR') || this.peek()?.value === '||') {
			this.i++;
			l = { t: 'or', l, r: this.and() };
		}
		return l;
	}
	private and(): Expr {
		let l = this.unary();
		while (this.isWord('AND') || this.peek()?.value === '&&') {
			this.i++;
			l = { t: 'and', l, r: this.unary() };
		}
		return l;
	}
	private unary(): Expr {
		if (this.isWord('NOT')) {
			this.i++;
			return { t: 'not', e: this.unary() };
		}
		const t = this.peek();
		if (t?.kind === 'punct' && t.value === '(') {
			this.i++;
			const e = this.or();
			this.expectPunct(')');
			return e;
		}
		const l = this.operand();
		const op = this.peek();
		if (op?.kind === 'op' && !['&&', '||'].includes(op.value)) {
			this.i++;
			return { t: 'cmp', op: op.value, l, r: this.operand() };
		}
		return { t: 'truthy', v: l };
	}
	private operand(): Operand {
		const t = this.tokens[this.i++];
		if (!t) throw new WhereError('Unexpected end of filter');
		if (t.kind === 'string') return { t: 'lit', v: t.value };
		if (t.kind === 'number') return { t: 'lit', v: Number(t.value) };
		if (t.kind !== 'ident') throw new WhereError(`Unexpected '${t.value}'`);
		const upper = t.value.toUpperCase();
		if (upper === 'TRUE' || upper === 'FALSE') return { t: 'lit', v: upper === 'TRUE' };
		if (upper === 'NULL') return { t: 'lit', v: null };
		if (upper === 'GUID') {
			this.expectPunct('(');
			const s = this.tokens[this.i++];
			if (s?.kind !== 'string') throw new WhereError('Guid() takes a quoted string');
			this.expectPunct(')');
			return { t: 'lit', v: s.value.toLowerCase() };
		}
		if (upper === 'DATETIME') {
			this.expectPunct('(');
			const parts: number[] = [];
			for (;;) {
				const n = this.tokens[this.i++];
				if (n?.kind !== 'number')
					throw new WhereError('DateTime() takes numbers: DateTime(2024,01,31)');
				parts.push(Number(n.value));
				const sep = this.tokens[this.i++];
				if (sep?.kind === 'punct' && sep.value === ')') break;
				if (sep?.kind !== 'punct' || sep.value !== ',')
					throw new WhereError("Expected ',' or ')' in DateTime()");
			}
			if (parts.length < 3 || parts.length > 6)
				throw new WhereError('DateTime() takes 3 to 6 numbers');
			const [y, mo, d, h = 0, mi = 0, s = 0] = parts;
			const ms = Date.UTC(y, mo - 1, d, h, mi, s);
			if (Number.isNaN(ms) || mo < 1 || mo > 12 || d < 1 || d > 31)
				throw new WhereError('Invalid DateTime()');
			return { t: 'lit', v: new Date(ms) };
		}
		const path = [t.value];
		const calls: { name: string; arg?: unknown }[] = [];
		while (this.peek()?.kind === 'punct' && this.peek()!.value === '.') {
			this.i++;
			const n = this.tokens[this.i++];
			if (n?.kind !== 'ident') throw new WhereError('Expected a field name after "."');
			if (this.peek()?.kind === 'punct' && this.peek()!.value === '(') {
				if (!STRING_METHODS.has(n.value.toLowerCase()))
					throw new WhereError(`Unsupported method ${n.value}()`);
				this.i++;
				let arg: unknown;
				if (!(this.peek()?.kind === 'punct' && this.peek()!.value === ')')) {
					const a = this.tokens[this.i++];
					if (a?.kind !== 'string') throw new WhereError(`${n.value}() takes a quoted string`);
					arg = a.value;
				}
				this.expectPunct(')');
				calls.push({ name: n.value.toLowerCase(), arg });
			} else if (calls.length) {
				throw new WhereError('Field access after a method call is not supported');
			} else {
				path.push(n.value);
			}
		}
		return { t: 'path', path, calls };
	}
}

const MSDATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;

function resolve(record: Record<string, unknown>, operand: Operand): unknown {
	if (operand.t === 'lit') return operand.v;
	let value: unknown = record;
	for (const key of operand.path) {
		if (value === null || typeof value !== 'object') return null;
		const obj = value as Record<string, unknown>;
		const hit = Object.keys(obj).find((k) => k.toLowerCase() === key.toLowerCase());
		value = hit === undefined ? null : obj[hit];
	}
	if (value === undefined) value = null;
	if (typeof value === 'string' && MSDATE.test(value))
		value = new Date(Number(MSDATE.exec(value)![1]));
	for (const call of operand.calls) {
		const s = value === null ? '' : String(value);
		const arg = String(call.arg ?? '');
		if (call.name === 'contains') value = s.includes(arg);
		else if (call.name === 'startswith') value = s.startsWith(arg);
		else if (call.name === 'endswith') value = s.endsWith(arg);
		else if (call.name === 'tolower') value = s.toLowerCase();
		else value = s.toUpperCase();
	}
	return value;
}

function normalise(v: unknown): unknown {
	if (v instanceof Date) return v.getTime();
	if (
		typeof v === 'string' &&
		/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)
	)
		return v.toLowerCase();
	return v;
}

function compare(op: string, a: unknown, b: unknown): boolean {
	a = normalise(a);
	b = normalise(b);
	if (op === '==') return a === b || (a === null && b === undefined);
	if (op === '!=') return a !== b;
	if (a === null || b === null) return false;
	if (typeof a !== typeof b) return false;
	const x = a as number | string;
	const y = b as number | string;
	if (op === '>') return x > y;
	if (op === '<') return x < y;
	if (op === '>=') return x >= y;
	return x <= y;
}

function evaluate(e: Expr, record: Record<string, unknown>): boolean {
	switch (e.t) {
		case 'or':
			return evaluate(e.l, record) || evaluate(e.r, record);
		case 'and':
			return evaluate(e.l, record) && evaluate(e.r, record);
		case 'not':
			return !evaluate(e.e, record);
		case 'truthy':
			return resolve(record, e.v) === true;
		case 'cmp':
			return compare(e.op, resolve(record, e.l), resolve(record, e.r));
	}
}

/** Compiles a `where` string once; the predicate runs on the record as the API would return it. */
export function compileWhere(where: string): (record: Record<string, unknown>) => boolean {
	if (where.length > 4000) throw new WhereError('Filter too long');
	const expr = new Parser(tokenize(where)).parse();
	return (record) => evaluate(expr, record);
}

/** `order=Name ASC, UpdatedDateUTC DESC` → comparator on returned records. */
export function compileOrder(
	order: string,
): (a: Record<string, unknown>, b: Record<string, unknown>) => number {
	const keys = order.split(',').map((part) => {
		const m = /^\s*([A-Za-z][A-Za-z0-9_.]*)\s*(ASC|DESC)?\s*$/i.exec(part);
		if (!m) throw new WhereError(`Invalid order clause '${part.trim()}'`);
		return { path: m[1].split('.'), desc: (m[2] ?? 'ASC').toUpperCase() === 'DESC' };
	});
	return (a, b) => {
		for (const k of keys) {
			const x = normalise(resolve(a, { t: 'path', path: k.path, calls: [] }));
			const y = normalise(resolve(b, { t: 'path', path: k.path, calls: [] }));
			if (x === y) continue;
			if (x === null) return k.desc ? 1 : -1;
			if (y === null) return k.desc ? -1 : 1;
			const c = (x as number | string) < (y as number | string) ? -1 : 1;
			return k.desc ? -c : c;
		}
		return 0;
	};
}
