package org.clubanonymiser.testsupport;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fails an Oracle-leg test during which the product issued anything a real Oracle would refuse, even where the
 * product caught the exception ({@link OracleRulesDataSource}).
 */
public final class OracleRulesExtension implements BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
        .create(OracleRulesExtension.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put("seen", OracleRulesDataSource.violations().size());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        int seen = context.getStore(NAMESPACE).get("seen", Integer.class);
        assertThat(OracleRulesDataSource.violations().stream().skip(seen).toList())
            .as("statements a real Oracle would refuse").isEmpty();
    }
}
