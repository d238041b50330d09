/**
 * Images: the records and references under {@code <data-root>/image} ({@link
 * dev.berth.image.store.ImageStore}) and the façade the daemon calls ({@link
 * dev.berth.image.store.ImageService}), with docker's semantics for list, inspect, history,
 * tag, rmi, prune and df.
 */
package dev.berth.image.store;
