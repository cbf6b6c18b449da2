package org.clubanonymiser.launch;

import java.util.function.Consumer;

import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Hands every initialised bean of one type to an action (a setter the framework's own auto-configuration does not
 * call): the one shape of the launch's post-processors.
 */
final class TypedBeanPostProcessor {

    private TypedBeanPostProcessor() {
    }

    static <T> BeanPostProcessor of(Class<T> type, Consumer<T> action) {
        return new BeanPostProcessor() {

            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (type.isInstance(bean)) {
                    action.accept(type.cast(bean));
                }
                return bean;
            }
        };
    }
}
