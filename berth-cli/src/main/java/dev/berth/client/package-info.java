/**
 * A Docker Engine API client (unix socket, TCP, mutual TLS) for the berth CLI: daemon address
 * and TLS settings as the docker CLI reads them, API version negotiation through {@code /_ping},
 * JSON and streaming requests, and daemon errors in docker's words.
 */
package dev.berth.client;
