/** The addresses of Stepwise as an LTI tool, which a platform's administrator copies into its registration. */

export interface ToolEndpoints {
	/** where a platform starts a launch (third-party initiated login, GET or POST) */
	loginUrl: string;
	/** where the platform posts the id_token: the one redirect URI, for resource links and deep linking alike */
	launchUrl: string;
	/** Stepwise's public keys */
	jwksUrl: string;
	/** the target of "add an activity" (deep linking): the launch URL, told apart by the message type */
	deepLinkingUrl: string;
	/** LTI Dynamic Registration: Moodle 4 fills in everything from this one address */
	registrationUrl: string;
}

export function toolEndpoints(origin: string): ToolEndpoints {
	const base = origin.replace(/\/+$/, '');
	return {
		loginUrl: `${base}/lti/login`,
		launchUrl: `${base}/lti/launch`,
		jwksUrl: `${base}/lti/jwks`,
		deepLinkingUrl: `${base}/lti/launch`,
		registrationUrl: `${base}/lti/register`
	};
}
