/**
 * Who a request comes from when its bearer token is an OIDC provider's access token (a JWT): the configured
 * providers, their key sets, and the checks a token must pass. The service's own API tokens are the store's.
 */
package dev.gantry.service.auth;
