/**
 * The service's TLS: its certificate and key from PEM files (reloaded when they change), or a self-signed pair
 * it makes for loopback use, and the Jetty connector that serves HTTPS and WSS with them.
 */
package dev.gantry.service.tls;
