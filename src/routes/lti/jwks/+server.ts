import { json } from '@sveltejs/kit';
import { storage } from '$lib/server/db';
import { publicJwks } from '$lib/server/lti/keys';
import type { RequestHandler } from './$types';

/** Stepwise's public keys, read by platforms to verify deep-linking responses and service tokens' assertions. */
export const GET: RequestHandler = async () => json(await publicJwks((await storage()).lti), { headers: { 'cache-control': 'public, max-age=300' } });
