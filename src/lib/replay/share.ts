/**
 * A pasted scenario in a link: deflate-compressed and base64url-encoded with the platform's own
 * CompressionStream, so a share link needs no server and no library.
 */
async function pipe(bytes: Uint8Array<ArrayBuffer>, stream: CompressionStream | DecompressionStream): Promise<Uint8Array<ArrayBuffer>> {
	const response = new Response(new Blob([bytes]).stream().pipeThrough(stream));
	return new Uint8Array(await response.arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
	let binary = '';
	for (const byte of bytes) binary += String.fromCharCode(byte);
	return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
	const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
	return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export async function packScenario(text: string): Promise<string> {
	return toBase64Url(await pipe(new TextEncoder().encode(text), new CompressionStream('deflate-raw')));
}

/** The scenario text of a link, or null when the link was cut or altered. */
export async function unpackScenario(packed: string): Promise<string | null> {
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(await pipe(fromBase64Url(packed), new DecompressionStream('deflate-raw')));
	} catch {
		return null;
	}
}
