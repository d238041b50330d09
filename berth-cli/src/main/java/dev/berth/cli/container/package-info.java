/** The container commands' shared parts: docker run's flags, the attach streamer, exit statuses. */
package dev.berth.cli.container;
