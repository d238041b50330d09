package dev.berth.engine.container;

import java.security.SecureRandom;
import java.util.List;
import java.util.function.Predicate;

/**
 * Names for containers created without one, in docker's {@code adjective_surname} style
 * ({@code focused_hopper}). The word lists are berth's own: adjectives, and surnames of people
 * who shaped computing. After a few collisions a digit is appended, as docker does.
 */
public final class NameGenerator {
    private static final List<String> ADJECTIVES = List.of(
            "agile", "bold", "brave", "bright", "calm", "careful", "cheerful", "clever", "curious", "daring",
            "eager", "earnest", "fair", "faithful", "fearless", "fond", "friendly", "gallant", "gentle", "glad",
            "happy", "honest", "hopeful", "humble", "jolly", "keen", "kind", "lively", "loyal", "lucid",
            "merry", "mindful", "modest", "nimble", "noble", "patient", "peaceful", "placid", "polite", "proud",
            "quick", "quiet", "rapid", "ready", "serene", "sharp", "sincere", "steady", "sturdy", "swift",
            "tender", "tidy", "upbeat", "vivid", "warm", "wise", "witty", "zealous");
    private static final List<String> SURNAMES = List.of(
            "allen", "babbage", "backus", "bartik", "berners", "boole", "cerf", "codd", "conway", "corbato",
            "dijkstra", "easley", "engelbart", "floyd", "gosling", "hamilton", "hoare", "holberton", "hopper", "kahn",
            "karp", "kay", "kernighan", "knuth", "lamport", "liskov", "lovelace", "mccarthy", "metcalfe", "minsky",
            "moore", "naur", "neumann", "nygaard", "perlman", "pike", "postel", "rabin", "ritchie", "shannon",
            "shaw", "stroustrup", "sutherland", "tanenbaum", "thompson", "torvalds", "turing", "wilkes", "wirth", "wozniak");
    private static final SecureRandom RANDOM = new SecureRandom();

    private NameGenerator() {}

    /** A name that {@code taken} says is free. */
    public static ContainerName generate(Predicate<String> taken) {
        for (int attempt = 0; ; attempt++) {
            String name = ADJECTIVES.get(RANDOM.nextInt(ADJECTIVES.size())) + "_"
                    + SURNAMES.get(RANDOM.nextInt(SURNAMES.size()));
            if (attempt >= 6) {
                name += RANDOM.nextInt(10);
            }
            if (!taken.test("/" + name)) {
                return ContainerName.of(name);
            }
        }
    }
}
