package org.clubanonymiser.web;

import org.springframework.http.HttpStatus;

/**
 * A request refused with a status and a code; the message shown is {@code error.<code>} from the messages (FR/EN),
 * with {@code arguments}. Never carries personal data.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;

    private final String code;

    private final transient Object[] arguments;

    public ApiException(HttpStatus status, String code, Object... arguments) {
        super(code);
        this.status = status;
        this.code = code;
        this.arguments = arguments;
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Object[] arguments() {
        return arguments;
    }

    public static ApiException notFound(String what, long id) {
        return new ApiException(HttpStatus.NOT_FOUND, "NOT_FOUND", what, id);
    }
}
