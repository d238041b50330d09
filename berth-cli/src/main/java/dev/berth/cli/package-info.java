/** berth: docker's commands, flags and output, over the Docker Engine API. */
package dev.berth.cli;
