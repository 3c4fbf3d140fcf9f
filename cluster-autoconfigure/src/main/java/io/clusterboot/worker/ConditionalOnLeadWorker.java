package io.clusterboot.worker;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Creates a bean in exactly one worker of the cluster, worker 1, and in a single JVM:
 * for scheduled jobs and other work that must run once per host. When worker 1 is
 * replaced, its replacement, which keeps id 1, has the bean.
 * <p>
 * During a reload or recycle, the old and the new worker 1 overlap for a moment, so the
 * bean can briefly exist twice; work that must never overlap needs a lock in a shared
 * store, such as ShedLock.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(OnLeadWorkerCondition.class)
public @interface ConditionalOnLeadWorker {

}
