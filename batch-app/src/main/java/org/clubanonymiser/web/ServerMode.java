package org.clubanonymiser.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/**
 * Marks the web layer's components: they exist in server mode only ({@code --anonymiser.mode=server}, SPEC §5). Task
 * mode has no web server, so no controller, no security filter chain and no job executor of its own.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ConditionalOnProperty(name = "anonymiser.mode", havingValue = "server")
public @interface ServerMode {
}
