/**
 * Containers through berthd: {@link dev.berth.engine.ContainerEngine} is the library the
 * daemon's container routes call. It sits on the image service (images, snapshots) and the
 * runtime library (launch in-process, no runc binary and no shim). See docs/engine.md.
 *
 * <ul>
 *   <li>{@code container}: the model (ids, names, Config/HostConfig subset, state machine), its
 *       JSON in docker's field names, and the on-disk store.
 *   <li>{@code spec}: the OCI spec dockerd would build, from docker's defaults.
 *   <li>{@code logs}: docker's json-file format, rotated.
 *   <li>{@code run}: the I/O and exit loop over pidfds, restart backoff, rootfs mounts.
 *   <li>{@code archive}: docker cp: paths resolved in a container's scope, tars out and in.
 *   <li>{@code volume}: the local volume driver, and the copy of image files into a new volume.
 * </ul>
 */
package dev.berth.engine;
