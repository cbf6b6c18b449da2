package org.clubanonymiser.demo;

import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import org.springframework.security.crypto.factory.PasswordEncoderFactories;

import static org.assertj.core.api.Assertions.assertThat;

class DemoDirectoryTests {

    @Test
    void clubsCycleThroughTheCitiesThenNumberOn() {
        List<DemoDirectory.Club> clubs = DemoDirectory.clubs(45);

        assertThat(clubs).extracting(DemoDirectory.Club::code).startsWith("PAR-01", "LYO-01", "MRS-01")
            .contains("BRE-01", "PAR-02", "PAR-03")
            .doesNotHaveDuplicates();
        assertThat(clubs.get(20).name()).isEqualTo("Oxygène Paris 02");
        assertThat(clubs.get(20).adminUsername()).isEqualTo("admin.par02");
        assertThat(clubs).extracting(DemoDirectory.Club::id)
            .containsExactlyElementsOf(LongStream.rangeClosed(1, 45).boxed().toList());
    }

    @Test
    void usersCoverEveryProfileTheAccessRulesDistinguish() {
        List<DemoDirectory.User> users = DemoDirectory.users(DemoDirectory.clubs(2));

        assertThat(users).extracting(DemoDirectory.User::username)
            .containsExactly("admin.multi", "manager", "manager.granted", "staff", "admin.par01", "admin.lyo01");
        assertThat(users).extracting(DemoDirectory.User::id).containsExactly(1L, 2L, 3L, 4L, 11L, 12L);
        assertThat(users).filteredOn(DemoDirectory.User::massAnonymisationGranted)
            .extracting(DemoDirectory.User::username)
            .containsExactly("manager.granted");
        assertThat(users.get(0).clubIds()).containsExactly(1L, 2L);
        assertThat(users.get(3).clubIds()).containsExactly(1L);
        assertThat(users.get(5).clubIds()).containsExactly(2L);
    }

    @Test
    void thePasswordHashIsBcryptOfDemoAndTheSameForTheSameSeed() {
        String hash = DemoDirectory.passwordHash(42);

        assertThat(hash).startsWith("{bcrypt}$2a$10$").isEqualTo(DemoDirectory.passwordHash(42))
            .isNotEqualTo(DemoDirectory.passwordHash(43));
        assertThat(PasswordEncoderFactories.createDelegatingPasswordEncoder().matches("demo", hash)).isTrue();
    }
}
