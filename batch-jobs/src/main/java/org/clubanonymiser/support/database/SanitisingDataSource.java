package org.clubanonymiser.support.database;

import java.io.Closeable;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.BatchUpdateException;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLNonTransientException;
import java.sql.SQLRecoverableException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.clubanonymiser.support.SupportConfiguration;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Keeps personal data out of every error message that leaves the JDBC driver. Drivers put the data they failed on
 * into their messages: PostgreSQL's {@code BatchUpdateException} reads "Batch entry 0 insert into ... values
 * ('Dupont', ...) was aborted", its server adds "Failing row contains (...)" or "Key (email)=(...) already exists",
 * H2's unique violation quotes the conflicting row. Spring Batch stores the failure's stack trace in
 * {@code BATCH_STEP_EXECUTION.EXIT_MESSAGE} and {@code BATCH_JOB_EXECUTION.EXIT_MESSAGE} and logs it, Spring Cloud
 * Task stores it in {@code TASK_EXECUTION}: a failing manifest insert would write members' names there.
 * <p>
 * This wrapper (around the application's {@code DataSource}, see {@link SupportConfiguration}) proxies connections
 * and statements; every {@link SQLException} they throw is replaced by one of the nearest standard type
 * ({@link BatchUpdateException} with its update counts, {@link SQLIntegrityConstraintViolationException}, ...), with
 * the same SQLState and vendor code, hence the same Spring {@code DataAccessException} translation, and a message
 * holding only those codes, their class of error and, on PostgreSQL, the names of the table, column and constraint
 * involved: never a value. The original exception is not kept as the cause (its message would be printed with the
 * stack trace); its stack trace is. Result sets are not proxied (a value that cannot be converted on read is a
 * programming error, caught by tests, and proxying every getter would cost the readers).
 * <p>
 * Defence in depth on PostgreSQL: {@code logServerErrorDetail=false} in the JDBC URL (see
 * {@code config/application-postgresql.yml}) also stops the driver from logging the server's details. Thread-safe.
 */
public final class SanitisingDataSource extends DelegatingDataSource implements Closeable {

    /** SQLState classes (SQL:2011 and the vendors' common use) and what they mean, without any value. */
    private static final Map<String, String> STATE_CLASSES = Map.ofEntries(Map.entry("08", "connection exception"),
            Map.entry("0A", "feature not supported"), Map.entry("22", "data exception"),
            Map.entry("23", "integrity constraint violation"), Map.entry("25", "invalid transaction state"),
            Map.entry("28", "invalid authorization"), Map.entry("40", "transaction rollback"),
            Map.entry("42", "syntax error or access rule violation"), Map.entry("53", "insufficient resources"),
            Map.entry("54", "program limit exceeded"), Map.entry("55", "object not in prerequisite state"),
            Map.entry("57", "operator intervention"), Map.entry("58", "system error"),
            Map.entry("HY", "driver error"), Map.entry("XX", "internal error"));

    public SanitisingDataSource(DataSource target) {
        super(target);
    }

    @Override
    public Connection getConnection() throws SQLException {
        try {
            return proxy(Connection.class, obtainTargetDataSource().getConnection());
        }
        catch (SQLException ex) {
            throw sanitise(ex);
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        try {
            return proxy(Connection.class, obtainTargetDataSource().getConnection(username, password));
        }
        catch (SQLException ex) {
            throw sanitise(ex);
        }
    }

    /** Closes the pool behind it (the container infers {@code close} as the bean's destroy method). */
    @Override
    public void close() throws IOException {
        if (obtainTargetDataSource() instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            }
            catch (IOException | RuntimeException ex) {
                throw ex;
            }
            catch (Exception ex) {
                throw new IOException(ex);
            }
        }
    }

    /**
     * The same failure without its message: same SQLState, vendor code, nearest standard type and stack trace; the
     * chain of next exceptions sanitised the same way.
     */
    public static SQLException sanitise(SQLException original) {
        if (original instanceof Sanitised) {
            return original;
        }
        SQLException sanitised = sanitiseOne(original);
        SQLException next = original.getNextException();
        List<SQLException> seen = new ArrayList<>();
        while (next != null && !seen.contains(next) && seen.size() < 10) {
            seen.add(next);
            sanitised.setNextException(sanitiseOne(next));
            next = next.getNextException();
        }
        return sanitised;
    }

    private static SQLException sanitiseOne(SQLException original) {
        String message = message(original);
        SQLException sanitised;
        if (original instanceof BatchUpdateException batch) {
            sanitised = new SanitisedBatchUpdateException(message, original.getSQLState(), original.getErrorCode(),
                    batch.getLargeUpdateCounts());
        }
        else {
            sanitised = nearestStandardType(original, message);
        }
        sanitised.setStackTrace(original.getStackTrace());
        return sanitised;
    }

    static String message(SQLException original) {
        String state = original.getSQLState();
        StringBuilder message = new StringBuilder(original instanceof BatchUpdateException ? "JDBC batch failed"
                : "SQL error");
        message.append(" (SQLState ").append(state).append(", vendor code ").append(original.getErrorCode());
        if (state != null && state.length() >= 2 && STATE_CLASSES.containsKey(state.substring(0, 2))) {
            message.append(": ").append(STATE_CLASSES.get(state.substring(0, 2)));
        }
        message.append(')');
        identifiers(original).forEach(identifier -> message.append(", ").append(identifier));
        return message.append("; driver message withheld: it may quote personal data").toString();
    }

    /** PostgreSQL's structured error fields that name schema objects, read without depending on its driver. */
    private static List<String> identifiers(SQLException original) {
        List<String> identifiers = new ArrayList<>();
        try {
            Method serverMessage = original.getClass().getMethod("getServerErrorMessage");
            Object fields = serverMessage.invoke(original);
            if (fields != null) {
                for (String field : List.of("Table", "Column", "Constraint")) {
                    Object name = fields.getClass().getMethod("get" + field).invoke(fields);
                    if (name instanceof String text && text.matches("[A-Za-z0-9_$.]{1,128}")) {
                        identifiers.add(field.toLowerCase() + " " + text);
                    }
                }
            }
        }
        catch (ReflectiveOperationException | RuntimeException notPostgres) {
            // Not PostgreSQL's exception: codes only.
        }
        return identifiers;
    }

    private static SQLException nearestStandardType(SQLException original, String message) {
        String state = original.getSQLState();
        int code = original.getErrorCode();
        if (original instanceof SQLIntegrityConstraintViolationException
                || state != null && state.startsWith("23")) {
            return new SanitisedIntegrityException(message, state, code);
        }
        if (original instanceof SQLTransactionRollbackException || state != null && state.startsWith("40")) {
            return new SanitisedRollbackException(message, state, code);
        }
        if (original instanceof SQLDataException) {
            return new SanitisedDataException(message, state, code);
        }
        if (original instanceof SQLSyntaxErrorException) {
            return new SQLSyntaxErrorException(message, state, code);
        }
        if (original instanceof SQLTimeoutException) {
            return new SQLTimeoutException(message, state, code);
        }
        if (original instanceof SQLTransientConnectionException) {
            return new SQLTransientConnectionException(message, state, code);
        }
        if (original instanceof SQLNonTransientConnectionException) {
            return new SQLNonTransientConnectionException(message, state, code);
        }
        if (original instanceof SQLFeatureNotSupportedException) {
            return new SQLFeatureNotSupportedException(message, state, code);
        }
        if (original instanceof SQLInvalidAuthorizationSpecException) {
            return new SQLInvalidAuthorizationSpecException(message, state, code);
        }
        if (original instanceof SQLRecoverableException) {
            return new SQLRecoverableException(message, state, code);
        }
        if (original instanceof SQLTransientException) {
            return new SQLTransientException(message, state, code);
        }
        if (original instanceof SQLNonTransientException) {
            return new SQLNonTransientException(message, state, code);
        }
        return new SanitisedException(message, state, code);
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, T target) {
        return (T) Proxy.newProxyInstance(SanitisingDataSource.class.getClassLoader(), new Class<?>[] { type },
                new Sanitiser(target));
    }

    /** Delegates every call; wraps the statements it creates; sanitises what it throws. */
    private record Sanitiser(Object target) implements InvocationHandler {

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "Sanitised " + target;
                };
            }
            Object result;
            try {
                result = method.invoke(target, args);
            }
            catch (InvocationTargetException ex) {
                if (ex.getCause() instanceof SQLException sql) {
                    throw sanitise(sql);
                }
                throw ex.getCause();
            }
            if (result instanceof CallableStatement statement && method.getReturnType() == CallableStatement.class) {
                return proxy(CallableStatement.class, statement);
            }
            if (result instanceof PreparedStatement statement && method.getReturnType() == PreparedStatement.class) {
                return proxy(PreparedStatement.class, statement);
            }
            if (result instanceof Statement statement && method.getReturnType() == Statement.class) {
                return proxy(Statement.class, statement);
            }
            return result;
        }
    }

    /** Marks an exception already sanitised. */
    private interface Sanitised {
    }

    private static final class SanitisedException extends SQLException implements Sanitised {

        SanitisedException(String message, String state, int code) {
            super(message, state, code);
        }
    }

    private static final class SanitisedBatchUpdateException extends BatchUpdateException implements Sanitised {

        SanitisedBatchUpdateException(String message, String state, int code, long[] counts) {
            super(message, state, code, counts, null);
        }
    }

    private static final class SanitisedIntegrityException extends SQLIntegrityConstraintViolationException
            implements Sanitised {

        SanitisedIntegrityException(String message, String state, int code) {
            super(message, state, code);
        }
    }

    private static final class SanitisedRollbackException extends SQLTransactionRollbackException
            implements Sanitised {

        SanitisedRollbackException(String message, String state, int code) {
            super(message, state, code);
        }
    }

    private static final class SanitisedDataException extends SQLDataException implements Sanitised {

        SanitisedDataException(String message, String state, int code) {
            super(message, state, code);
        }
    }
}
