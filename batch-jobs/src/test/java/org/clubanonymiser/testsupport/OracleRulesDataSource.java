package org.clubanonymiser.testsupport;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.security.CodeSource;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The Oracle leg's referee: a DataSource wrapper that refuses, as a real Oracle would, what H2's Oracle mode lets
 * through. Every statement the product issues (its main classes, and the Spring Batch readers and writers it
 * configures with its SQL) is checked against {@link OracleSqlRules}; so are two JDBC calls Oracle answers
 * differently: generated keys asked by {@code RETURN_GENERATED_KEYS} (Oracle returns the ROWID, not the id) and an
 * isolation level other than READ COMMITTED or SERIALIZABLE (the only two Oracle has). Statements of the tests
 * themselves, of Flyway and of Spring Batch's own repository are not the product's: not checked. A violation throws
 * an {@link OracleRuleViolation} (the job fails, naming the rule) and is kept for the test to see.
 */
public final class OracleRulesDataSource extends DelegatingDataSource {

    private static final Logger log = LoggerFactory.getLogger(OracleRulesDataSource.class);

    private static final List<String> VIOLATIONS = new CopyOnWriteArrayList<>();

    private static final ClassValue<Boolean> TEST_CLASS = new ClassValue<>() {

        @Override
        protected Boolean computeValue(Class<?> type) {
            CodeSource source = type.getProtectionDomain().getCodeSource();
            return source != null && source.getLocation().toString().contains("test-classes");
        }
    };

    public OracleRulesDataSource(DataSource target) {
        super(target);
    }

    /** Every violation seen in this JVM, with its statement. */
    public static List<String> violations() {
        return List.copyOf(VIOLATIONS);
    }

    /** For the referee's own tests: drops the violations recorded after the first {@code size}. */
    static void forgetAfter(int size) {
        while (VIOLATIONS.size() > size) {
            VIOLATIONS.remove(VIOLATIONS.size() - 1);
        }
    }

    @Override
    public Connection getConnection() throws java.sql.SQLException {
        return refereed(super.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws java.sql.SQLException {
        return refereed(super.getConnection(username, password));
    }

    private static Connection refereed(Connection connection) {
        return (Connection) Proxy.newProxyInstance(OracleRulesDataSource.class.getClassLoader(),
                new Class<?>[] { Connection.class }, new Referee(connection));
    }

    static void check(String sql) {
        if (sql == null || !issuedByTheProduct()) {
            return;
        }
        List<String> broken = OracleSqlRules.violations(sql);
        if (!broken.isEmpty()) {
            violation(broken + " in: " + sql);
        }
    }

    private static void violation(String what) {
        VIOLATIONS.add(what);
        log.error("Oracle would refuse this: {}", what);
        throw new OracleRuleViolation(what);
    }

    /**
     * The first caller that is not JDBC plumbing decides: the product's main classes and Spring Batch's item readers
     * and writers (run with the product's SQL) are checked; the tests, Flyway, Spring Batch's repository are not.
     */
    static boolean issuedByTheProduct() {
        Optional<Class<?>> caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
            .walk(frames -> frames.map(StackWalker.StackFrame::getDeclaringClass)
                .filter(type -> !plumbing(type.getName()))
                .findFirst());
        if (caller.isEmpty()) {
            return false;
        }
        String name = caller.get().getName();
        if (name.startsWith("org.clubanonymiser.")) {
            return !TEST_CLASS.get(caller.get());
        }
        return name.startsWith("org.springframework.batch.infrastructure.item.");
    }

    private static boolean plumbing(String name) {
        return name.startsWith("java.") || name.startsWith("jdk.") || name.startsWith("com.sun.")
                || name.startsWith("sun.") || name.startsWith("org.h2.") || name.startsWith("com.zaxxer.")
                || name.startsWith("org.springframework.jdbc.") || name.startsWith("org.springframework.dao.")
                || name.startsWith("org.springframework.transaction.")
                || name.startsWith("org.springframework.aop.") || name.startsWith("org.springframework.cglib.")
                || name.startsWith("org.springframework.batch.infrastructure.item.database.support.")
                || name.startsWith("org.clubanonymiser.testsupport.OracleRules")
                || name.startsWith("org.clubanonymiser.support.database.SanitisingDataSource") || name.contains("$Proxy");
    }

    /** A statement or JDBC call a real Oracle would refuse or answer differently. */
    public static final class OracleRuleViolation extends IllegalStateException {

        OracleRuleViolation(String what) {
            super("Oracle would refuse this: " + what);
        }
    }

    private record Referee(Object target) implements InvocationHandler {

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (args != null && args.length > 0 && args[0] instanceof String sql
                    && (name.startsWith("prepare") || name.startsWith("execute") || name.equals("addBatch"))) {
                check(sql);
                if (name.equals("prepareStatement") && args.length == 2 && args[1] instanceof Integer keys
                        && keys == Statement.RETURN_GENERATED_KEYS && issuedByTheProduct()) {
                    violation("generated keys by RETURN_GENERATED_KEYS: Oracle returns the ROWID; name the key "
                            + "column (in: " + sql + ")");
                }
            }
            if (name.equals("setTransactionIsolation") && args[0] instanceof Integer level
                    && level != Connection.TRANSACTION_READ_COMMITTED && level != Connection.TRANSACTION_SERIALIZABLE
                    && issuedByTheProduct()) {
                violation("isolation level " + level + ": Oracle has READ COMMITTED and SERIALIZABLE only");
            }
            Object result;
            try {
                result = method.invoke(target, args);
            }
            catch (InvocationTargetException ex) {
                throw ex.getCause();
            }
            if (result instanceof Statement statement && !(result instanceof java.sql.PreparedStatement)) {
                // A plain Statement carries its SQL on execute: referee it too.
                return Proxy.newProxyInstance(OracleRulesDataSource.class.getClassLoader(),
                        new Class<?>[] { Statement.class }, new Referee(statement));
            }
            return result;
        }
    }
}
