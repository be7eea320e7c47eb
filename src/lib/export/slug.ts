/** `Rétropropagation sur un réseau 2-2-1` → `retropropagation-sur-un-reseau-2-2-1`: a file name every system accepts. */
export function titleSlug(title: string, fallback = 'stepwise'): string {
	const slug = title
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 80)
		.replace(/-+$/, '');
	return slug || fallback;
}
