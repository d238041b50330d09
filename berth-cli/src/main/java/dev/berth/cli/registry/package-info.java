/**
 * The docker CLI's side of registries: credentials in docker's {@code config.json} (and the
 * {@code docker-credential-*} helpers it names), the X-Registry-Auth header they become, and the
 * keys docker files them under ({@code https://index.docker.io/v1/} for Docker Hub, the host
 * otherwise). The daemon does the registry traffic; the CLI only hands it credentials.
 */
package dev.berth.cli.registry;
