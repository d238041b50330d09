package dev.berth.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import org.junit.jupiter.api.Test;

class AclTest {
    private static final Acl ACL = Acl.parse("""
            # who       what               actions
            anonymous   public/**          pull
            *           library/*          pull
            *           ${user}/**         pull,push
            ci          team/?pp           pull,push
            admin       **                 *
            admin       registry:catalog   *
            bob         library/*          push
            """, "acl");

    @Test
    void singleStarStaysInOneComponentDoubleStarCrosses() {
        assertThat(ACL.allowed("alice", "repository", "library/busybox")).containsExactly("pull");
        assertThat(ACL.allowed("alice", "repository", "library/a/b")).isEmpty();
        assertThat(ACL.allowed("alice", "repository", "library")).isEmpty();
        assertThat(ACL.allowed("alice", "repository", "public/a/b/c")).containsExactly("pull");
        assertThat(ACL.allowed("admin", "repository", "any/thing/at/all")).containsExactlyInAnyOrder("pull", "push", "delete", "*");
    }

    @Test
    void questionMarkIsOneCharacter() {
        assertThat(ACL.allowed("ci", "repository", "team/app")).contains("push");
        assertThat(ACL.allowed("ci", "repository", "team/apps")).isEmpty();
        assertThat(ACL.allowed("ci", "repository", "team//pp")).isEmpty();
    }

    @Test
    void userPlaceholderIsTheSubjectsOwnName() {
        assertThat(ACL.allowed("alice", "repository", "alice/app")).containsExactly("pull", "push");
        assertThat(ACL.allowed("alice", "repository", "bob/app")).isEmpty();
        assertThat(ACL.allowed("bob", "repository", "bob/x/y")).containsExactly("pull", "push");
        assertThat(ACL.allowed("", "repository", "alice/app")).isEmpty();
    }

    @Test
    void rulesAddUpAndAnonymousRulesHoldForUsersToo() {
        assertThat(ACL.allowed("bob", "repository", "library/busybox")).containsExactly("pull", "push");
        assertThat(ACL.allowed("", "repository", "public/x")).containsExactly("pull");
        assertThat(ACL.allowed("", "repository", "library/busybox")).isEmpty();
        assertThat(ACL.allowed("bob", "repository", "public/x")).containsExactly("pull");
        assertThat(ACL.permits("bob", Access.repository("library/busybox", "pull", "push"))).isTrue();
        assertThat(ACL.permits("alice", Access.repository("library/busybox", "pull", "push"))).isFalse();
        assertThat(ACL.permits("alice", Access.repository("library/busybox", "delete"))).isFalse();
    }

    @Test
    void theCatalogIsItsOwnResource() {
        var catalog = new Access("registry", "catalog", java.util.Set.of("*"));
        assertThat(ACL.permits("admin", catalog)).isTrue();
        assertThat(ACL.permits("alice", catalog)).isFalse();
        // "**" is for repositories only
        assertThat(Acl.parse("alice ** *", "a").permits("alice", catalog)).isFalse();
        assertThat(ACL.allowed("admin", "weird", "thing")).isEmpty();
    }

    @Test
    void globCharactersAreNotRegex() {
        Acl acl = Acl.parse("alice a.b pull", "a");
        assertThat(acl.allowed("alice", "repository", "a.b")).containsExactly("pull");
        assertThat(acl.allowed("alice", "repository", "axb")).isEmpty();
    }

    @Test
    void malformedRulesNameTheirLine() {
        assertThatThrownBy(() -> Acl.parse("\nalice library/*\n", "acl"))
                .isInstanceOf(BerthException.class).hasMessageContaining("acl line 2: expected");
        assertThatThrownBy(() -> Acl.parse("alice library/* pull extra", "acl")).hasMessageContaining("acl line 1");
        assertThatThrownBy(() -> Acl.parse("alice Library/* pull", "acl")).hasMessageContaining("not a repository glob");
        assertThatThrownBy(() -> Acl.parse("alice lib[0-9] pull", "acl")).hasMessageContaining("not a repository glob");
        assertThatThrownBy(() -> Acl.parse("alice lib pull,write", "acl")).hasMessageContaining("unknown action \"write\"");
        assertThatThrownBy(() -> Acl.parse("alice lib pull,", "acl")).hasMessageContaining("unknown action");
        assertThatThrownBy(() -> Acl.parse("alice registry:catalog pull", "acl")).hasMessageContaining("unknown action \"pull\"");
        assertThatThrownBy(() -> Acl.parse("alice registry:other *", "acl")).hasMessageContaining("not a repository glob");
    }
}
