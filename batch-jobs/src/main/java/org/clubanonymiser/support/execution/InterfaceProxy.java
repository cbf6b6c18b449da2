package org.clubanonymiser.support.execution;

import java.util.function.Function;

import org.aopalliance.intercept.MethodInterceptor;

import org.springframework.aop.framework.ProxyFactory;

/**
 * How {@link JobLaunchGuard} and {@link ExecutionClaims} put themselves in front of a Spring Batch bean: a JDK proxy
 * of the bean's interface with one advice, so that every caller of the bean goes through it.
 */
final class InterfaceProxy {

    private InterfaceProxy() {
    }

    /** The bean wrapped when it is a {@code type}, else the bean itself. */
    static <T> Object advised(Object bean, Class<T> type, Function<T, MethodInterceptor> advice) {
        if (!type.isInstance(bean)) {
            return bean;
        }
        ProxyFactory proxy = new ProxyFactory();
        proxy.setTarget(bean);
        proxy.setInterfaces(type);
        proxy.addAdvice(advice.apply(type.cast(bean)));
        return proxy.getProxy(InterfaceProxy.class.getClassLoader());
    }
}
