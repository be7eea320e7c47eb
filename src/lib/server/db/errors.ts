/**
 * A database that cannot be used as configured: a malformed DATABASE_URL, a server that does not
 * answer, a wrong password, a missing file. Its message is one line for the person who deploys
 * Stepwise, printed as it is (never a stack trace).
 */
export class DatabaseError extends Error {
	override name = 'DatabaseError';
}
