package org.clubanonymiser.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;

/**
 * Marks the web layer's components: they exist in server mode only ({@code --anonymiser.mode=server}). Task
 * mode has no web server, so no controller, no security filter chain and no job executor of its own; nor has a
 * server run without a servlet web server ({@code spring.main.web-application-type=none}: schedules only).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ConditionalOnProperty(name = "anonymiser.mode", havingValue = "server")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public @interface ServerMode {
}
