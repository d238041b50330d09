/**
 * The registry client: pull, push and login against any registry that speaks the OCI
 * distribution spec (berth's own, distribution's registry:2, …), for berthd's
 * {@code /images/create?fromImage}, {@code /images/{name}/push} and {@code /auth}.
 * {@link dev.berth.image.registry.Distribution} is the seam; the daemon's tests use a fake.
 */
package dev.berth.image.registry;
