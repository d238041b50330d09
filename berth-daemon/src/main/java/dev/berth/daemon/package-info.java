/** berthd: listeners, the Docker Engine API routes and the daemon's life cycle. */
package dev.berth.daemon;
