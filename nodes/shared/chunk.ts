/** Splits a list into pieces of at most `size` elements (at least 1), order kept. */
export function chunk<T>(values: readonly T[], size: number): T[][] {
	const step = Math.max(1, Math.floor(size));
	const chunks: T[][] = [];
	for (let start = 0; start < values.length; start += step)
		chunks.push(values.slice(start, start + step));
	return chunks;
}
